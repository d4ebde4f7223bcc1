// SPDX-License-Identifier: GPL-2.0-or-later
// The process RSS that the performance dock shows: against /proc/self/status and a touched block.
#include "core/process_memory.h"

#include <QFile>
#include <QRegularExpression>
#include <QtTest>

#include <vector>

using namespace gridshade;

class TestProcessMemory : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void matchesStatus();
    void growsWithTouchedMemory();
};

// /proc/self/status reports VmRSS in kB, independently of statm's pages.
void TestProcessMemory::matchesStatus()
{
  QFile f( QStringLiteral( "/proc/self/status" ) );
  if ( !f.open( QIODevice::ReadOnly ) )
    QSKIP( "no /proc/self/status on this system" );
  const QRegularExpressionMatch m = QRegularExpression( QStringLiteral( "VmRSS:\\s+(\\d+) kB" ) ).match( QString::fromLatin1( f.readAll() ) );
  QVERIFY( m.hasMatch() );
  const qint64 status = m.captured( 1 ).toLongLong() * 1024;
  const qint64 ours = processResidentBytes();
  QVERIFY( ours > 0 );
  QVERIFY2( std::abs( ours - status ) < 4 * 1024 * 1024, qPrintable( QStringLiteral( "%1 vs %2" ).arg( ours ).arg( status ) ) );
}

void TestProcessMemory::growsWithTouchedMemory()
{
  const qint64 before = processResidentBytes();
  std::vector<char> block( 64 << 20 );
  for ( size_t i = 0; i < block.size(); i += 4096 )
    block[i] = static_cast<char>( i );
  const qint64 after = processResidentBytes();
  QVERIFY2( after - before >= ( 60 << 20 ), qPrintable( QStringLiteral( "%1 -> %2" ).arg( before ).arg( after ) ) );
  QVERIFY( block[4096] == static_cast<char>( 4096 ) );
}

QTEST_APPLESS_MAIN( TestProcessMemory )
#include "test_process_memory.moc"
