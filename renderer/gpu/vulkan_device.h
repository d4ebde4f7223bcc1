// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>

#include <cstdint>
#include <memory>

class QVulkanInstance;

namespace gridshade::gpu
{

/**
 * \brief The Vulkan instance and logical device that the GPU backend hands to Qt RHI.
 *
 * We create the device ourselves instead of letting QRhi do it, because the aggregation
 * shaders need features that Qt 5.15 and 6.4 never enable: shaderFloat64 (Datashader's bin
 * rule is computed in double), shaderInt64 and 64-bit buffer atomics (sum / mean / min / max).
 * QRhi imports the device (QRhiVulkanNativeHandles) and never destroys it; we do.
 *
 * Needs a Qt platform with Vulkan (xcb: a desktop session or Xvfb); the offscreen platform has
 * none and create() then says so. Owned by the GPU service thread.
 */
class VulkanDevice
{
  public:
    VulkanDevice();
    ~VulkanDevice();
    VulkanDevice( const VulkanDevice & ) = delete;
    VulkanDevice &operator=( const VulkanDevice & ) = delete;

    //! Creates instance and device; false with *reason filled when no usable device exists.
    bool create( QString *reason ) { return select( reason ) && open( reason ); }
    /**
     * Creates the instance and chooses the device (name, type, memory, features known) without
     * creating the logical device: what backend auto needs to decide, at the cost of loading
     * the Vulkan drivers only. A software device opened and handed to Qt RHI takes tens of MiB
     * of host memory (lavapipe: 33.5 MiB at once) that auto would then never use.
     */
    bool select( QString *reason );
    //! Creates the logical device and its queue on the device select() chose.
    bool open( QString *reason );
    void destroy();

    QVulkanInstance *instance() const { return mInstance.get(); }
    void *physicalDevice() const { return mPhysicalDevice; }
    void *device() const { return mDevice; }
    void *queue() const { return mQueue; }
    int queueFamily() const { return mQueueFamily; }

    //! "NVIDIA H100 80GB HBM3 (Vulkan 1.3.289, driver 580.159)"; a software device says so:
    //! "llvmpipe (LLVM 15.0.6, 256 bits) (software Vulkan on the CPU; Vulkan 1.3.230, driver 0.0.1)".
    QString description() const { return mDescription; }
    /**
     * True for a CPU-type device (Mesa's lavapipe, SwiftShader): Vulkan emulated on the CPU,
     * chosen only when no GPU is present. It is several times slower than the CPU backend, so
     * "auto" does not use it; "gpu" does (parity tests without a GPU).
     */
    bool isSoftware() const { return mSoftware; }
    QString name() const { return mName; }
    //! Size of the largest device-local memory heap.
    uint64_t deviceLocalBytes() const { return mDeviceLocalBytes; }
    //! The device's maxStorageBufferRange: one storage binding sees at most this many bytes.
    uint64_t maxStorageRange() const { return mMaxStorageRange; }
    //! false when the device lacks 64-bit atomics: sum, mean, min and max then stay on the CPU.
    bool hasInt64Atomics() const { return mInt64Atomics; }

  private:
    std::unique_ptr<QVulkanInstance> mInstance;
    void *mPhysicalDevice = nullptr;
    void *mDevice = nullptr;
    void *mQueue = nullptr;
    int mQueueFamily = -1;
    QString mName;
    QString mDescription;
    uint64_t mDeviceLocalBytes = 0;
    uint64_t mMaxStorageRange = 0;
    bool mInt64Atomics = false;
    bool mSoftware = false;
};

} // namespace gridshade::gpu
