// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QDockWidget>
#include <QImage>
#include <QRect>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace gridshade
{

//! The result of one comparison, as the SSIM dock shows it.
struct SsimOutcome
{
    double ssim = -1;         //!< mean SSIM over R, G, B, A (skimage's definition)
    QRect worst;              //!< the block with the lowest mean SSIM, in image pixels
    double worstSsim = -1;    //!< that block's mean SSIM
    QImage diff;              //!< grey SSIM deficit image (white = identical)
    int differingPixels = -1; //!< pixels whose RGBA differ at all
    QString description;      //!< what was compared, e.g. "CPU vs GPU at 1024 x 768"
};

/**
 * \brief "Gridshade SSIM" dock: compares the followed density layer's current render with a
 * reference (a golden image file, a render saved earlier, or the other backend: CPU vs GPU)
 * and shows the SSIM, the worst region and a diff image with that region outlined.
 *
 * Plain Qt widgets: the plugin renders and compares when compareRequested() fires and answers
 * with showOutcome() or showError(). GUI thread; owned by the main window. Object names:
 * referenceCombo, goldenPath, compareButton, saveButton, ssimValue, worstValue, pixelsValue,
 * descriptionValue, diffImage, plus browseButton and savedValue.
 */
class SsimDock : public QDockWidget
{
    Q_OBJECT

  public:
    enum class Reference
    {
      GoldenImage,  //!< a PNG file (its .json sidecar, if any, gives the viewport)
      SavedRender,  //!< the render kept by "Save current render"
      OtherBackend, //!< the same view on the CPU and on the GPU
    };
    Q_ENUM( Reference )

    explicit SsimDock( QWidget *parent = nullptr );

    //! The followed layer; an empty name disables comparing.
    void setLayerName( const QString &name );
    Reference reference() const;
    void setReference( Reference reference );
    QString goldenPath() const;
    void setGoldenPath( const QString &path );
    //! Whether a saved render exists (\a description says which view, shown beside the choice).
    void setSavedRender( bool available, const QString &description = QString() );

    //! While busy the buttons are disabled and the status says "Comparing…".
    void setBusy( bool busy );
    void showOutcome( const SsimOutcome &outcome );
    void showError( const QString &message );
    //! The diff image with the worst region outlined, as shown (null before a result).
    QImage shownDiff() const { return mShownDiff; }

  Q_SIGNALS:
    void compareRequested( gridshade::SsimDock::Reference reference, const QString &goldenPath );
    void saveRenderRequested();

  private:
    void buildInputs( QFormLayout *form, QWidget *content );
    void buildResults( QFormLayout *form, QWidget *content );
    void updateEnabled();
    void clearOutcome();
    void showDiff( const QImage &diff, const QRect &worst );
    void browse();

    bool mHasLayer = false;
    bool mHasSaved = false;
    bool mBusy = false;
    bool mAwaitingResult = false; //!< setBusy( true ) and no outcome or error since
    QImage mShownDiff;
    QComboBox *mReference = nullptr;
    QWidget *mGoldenRow = nullptr;
    QLineEdit *mGolden = nullptr;
    QPushButton *mBrowse = nullptr;
    QPushButton *mCompare = nullptr;
    QPushButton *mSave = nullptr;
    QLabel *mLayer = nullptr;
    QLabel *mSaved = nullptr;
    QLabel *mSsim = nullptr;
    QLabel *mWorst = nullptr;
    QLabel *mPixels = nullptr;
    QLabel *mDescription = nullptr;
    QLabel *mDiff = nullptr;
};

} // namespace gridshade
