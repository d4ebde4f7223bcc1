// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>

namespace gridshade
{

/**
 * \brief Outcome of an engine call: success, or a message that names what failed, the bad
 * value and the likely fix.
 *
 * The engine never throws across its API and never aborts on user data; it returns a Status.
 * Any thread may create and read one; it is a plain value.
 */
class Status
{
  public:
    Status() = default;

    static Status ok() { return Status(); }
    static Status error( const QString &message ) { return Status( message ); }

    bool isOk() const { return mMessage.isEmpty(); }
    explicit operator bool() const { return isOk(); }
    const QString &message() const { return mMessage; }

  private:
    explicit Status( const QString &message )
      : mMessage( message.isEmpty() ? QStringLiteral( "unknown error" ) : message )
    {}

    QString mMessage;
};

} // namespace gridshade
