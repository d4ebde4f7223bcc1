// SPDX-License-Identifier: GPL-2.0-or-later
#include "vulkan_device.h"

#include <QByteArray>
#include <QGuiApplication>
#include <QVersionNumber>
#include <QVulkanDeviceFunctions>
#include <QVulkanFunctions>
#include <QVulkanInstance>

#include <vector>

namespace gridshade::gpu
{

namespace
{

QString versionString( uint32_t v )
{
  return QStringLiteral( "%1.%2.%3" ).arg( VK_VERSION_MAJOR( v ) ).arg( VK_VERSION_MINOR( v ) ).arg( VK_VERSION_PATCH( v ) );
}

// NVIDIA packs its driver version as 10.8.8.6 bits; others use Vulkan's 10.10.12.
QString driverString( const VkPhysicalDeviceProperties &p )
{
  const uint32_t v = p.driverVersion;
  if ( p.vendorID == 0x10DE )
    return QStringLiteral( "%1.%2" ).arg( ( v >> 22 ) & 0x3ff ).arg( ( v >> 14 ) & 0xff, 2, 10, QLatin1Char( '0' ) );
  return versionString( v );
}

int typeRank( VkPhysicalDeviceType t )
{
  switch ( t )
  {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU:
      return 0;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU:
      return 1;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU:
      return 2;
    case VK_PHYSICAL_DEVICE_TYPE_CPU:
      return 3;
    default:
      return 4;
  }
}

bool hasExtension( QVulkanFunctions *f, VkPhysicalDevice pd, const char *name )
{
  uint32_t n = 0;
  f->vkEnumerateDeviceExtensionProperties( pd, nullptr, &n, nullptr );
  std::vector<VkExtensionProperties> exts( n );
  f->vkEnumerateDeviceExtensionProperties( pd, nullptr, &n, exts.data() );
  for ( const VkExtensionProperties &e : exts )
  {
    if ( qstrcmp( e.extensionName, name ) == 0 )
      return true;
  }
  return false;
}

} // namespace

VulkanDevice::VulkanDevice() = default;

VulkanDevice::~VulkanDevice()
{
  destroy();
}

bool VulkanDevice::select( QString *reason )
{
  if ( !qobject_cast<QGuiApplication *>( QCoreApplication::instance() ) )
  {
    *reason = QStringLiteral( "no QGuiApplication (Vulkan needs Qt's GUI platform)" );
    return false;
  }
  const QString platform = QGuiApplication::platformName();
  if ( platform == QLatin1String( "offscreen" ) || platform == QLatin1String( "minimal" ) )
  {
    *reason = QStringLiteral( "Qt platform '%1' has no Vulkan; run under an X server (a desktop session or xvfb-run) with QT_QPA_PLATFORM=xcb" ).arg( platform );
    return false;
  }
  mInstance = std::make_unique<QVulkanInstance>();
  // 1.1 for vkGetPhysicalDeviceFeatures2, which reports 64-bit atomics.
  mInstance->setApiVersion( QVersionNumber( 1, 1 ) );
  if ( !mInstance->create() )
  {
    *reason = QStringLiteral( "no Vulkan instance (VkResult %1): is a Vulkan driver installed (mesa-vulkan-drivers, or the GPU vendor's)?" ).arg( mInstance->errorCode() );
    mInstance.reset();
    return false;
  }
  QVulkanFunctions *f = mInstance->functions();
  uint32_t count = 0;
  f->vkEnumeratePhysicalDevices( mInstance->vkInstance(), &count, nullptr );
  std::vector<VkPhysicalDevice> devices( count );
  f->vkEnumeratePhysicalDevices( mInstance->vkInstance(), &count, devices.data() );
  auto getFeatures2 = reinterpret_cast<PFN_vkGetPhysicalDeviceFeatures2>( mInstance->getInstanceProcAddr( "vkGetPhysicalDeviceFeatures2" ) );

  // The best-ranked device with float64 in shaders and a queue that computes.
  VkPhysicalDevice chosen = VK_NULL_HANDLE;
  int chosenRank = 99;
  uint32_t chosenFamily = 0;
  QStringList rejected;
  for ( VkPhysicalDevice pd : devices )
  {
    VkPhysicalDeviceProperties props;
    f->vkGetPhysicalDeviceProperties( pd, &props );
    VkPhysicalDeviceFeatures feats;
    f->vkGetPhysicalDeviceFeatures( pd, &feats );
    if ( !feats.shaderFloat64 )
    {
      rejected << QStringLiteral( "%1: no float64 in shaders" ).arg( QString::fromUtf8( props.deviceName ) );
      continue;
    }
    uint32_t familyCount = 0;
    f->vkGetPhysicalDeviceQueueFamilyProperties( pd, &familyCount, nullptr );
    std::vector<VkQueueFamilyProperties> families( familyCount );
    f->vkGetPhysicalDeviceQueueFamilyProperties( pd, &familyCount, families.data() );
    int family = -1;
    for ( uint32_t i = 0; i < familyCount && family < 0; ++i )
    {
      // Qt RHI records on a "graphics" queue; a universal family serves both.
      const VkQueueFlags want = VK_QUEUE_GRAPHICS_BIT | VK_QUEUE_COMPUTE_BIT;
      if ( ( families[i].queueFlags & want ) == want )
        family = static_cast<int>( i );
    }
    if ( family < 0 )
    {
      rejected << QStringLiteral( "%1: no graphics+compute queue" ).arg( QString::fromUtf8( props.deviceName ) );
      continue;
    }
    if ( typeRank( props.deviceType ) < chosenRank )
    {
      chosen = pd;
      chosenRank = typeRank( props.deviceType );
      chosenFamily = static_cast<uint32_t>( family );
    }
  }
  if ( chosen == VK_NULL_HANDLE )
  {
    *reason = devices.empty() ? QStringLiteral( "no Vulkan device found" )
                              : QStringLiteral( "no suitable Vulkan device (%1)" ).arg( rejected.join( QStringLiteral( "; " ) ) );
    destroy();
    return false;
  }

  VkPhysicalDeviceProperties props;
  f->vkGetPhysicalDeviceProperties( chosen, &props );
  VkPhysicalDeviceMemoryProperties mem;
  f->vkGetPhysicalDeviceMemoryProperties( chosen, &mem );
  for ( uint32_t h = 0; h < mem.memoryHeapCount; ++h )
  {
    if ( mem.memoryHeaps[h].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT )
      mDeviceLocalBytes = std::max<uint64_t>( mDeviceLocalBytes, mem.memoryHeaps[h].size );
  }
  mMaxStorageRange = props.limits.maxStorageBufferRange;

  VkPhysicalDeviceShaderAtomicInt64Features atomics {};
  atomics.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_ATOMIC_INT64_FEATURES;
  const bool atomicsExtension = hasExtension( f, chosen, VK_KHR_SHADER_ATOMIC_INT64_EXTENSION_NAME );
  if ( getFeatures2 && atomicsExtension )
  {
    VkPhysicalDeviceFeatures2 feats2 {};
    feats2.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2;
    feats2.pNext = &atomics;
    getFeatures2( chosen, &feats2 );
    mInt64Atomics = feats2.features.shaderInt64 && atomics.shaderBufferInt64Atomics;
  }

  mPhysicalDevice = chosen;
  mQueueFamily = static_cast<int>( chosenFamily );
  mName = QString::fromUtf8( props.deviceName );
  mSoftware = props.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU;
  mDescription = QStringLiteral( "%1 (%2Vulkan %3, driver %4)" )
                   .arg( mName, mSoftware ? QStringLiteral( "software Vulkan on the CPU; " ) : QString(), versionString( props.apiVersion ), driverString( props ) );
  return true;
}

bool VulkanDevice::open( QString *reason )
{
  if ( !mInstance || !mPhysicalDevice )
  {
    *reason = QStringLiteral( "no Vulkan device chosen" );
    return false;
  }
  if ( mDevice )
    return true;
  QVulkanFunctions *f = mInstance->functions();
  VkPhysicalDevice chosen = static_cast<VkPhysicalDevice>( mPhysicalDevice );
  const uint32_t chosenFamily = static_cast<uint32_t>( mQueueFamily );
  const float priority = 1.0f;
  VkDeviceQueueCreateInfo queueInfo {};
  queueInfo.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO;
  queueInfo.queueFamilyIndex = chosenFamily;
  queueInfo.queueCount = 1;
  queueInfo.pQueuePriorities = &priority;
  VkPhysicalDeviceFeatures enabled {};
  enabled.shaderFloat64 = VK_TRUE;
  enabled.shaderInt64 = mInt64Atomics ? VK_TRUE : VK_FALSE;
  VkPhysicalDeviceShaderAtomicInt64Features enabledAtomics {};
  enabledAtomics.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_ATOMIC_INT64_FEATURES;
  enabledAtomics.shaderBufferInt64Atomics = VK_TRUE;
  std::vector<const char *> extensions;
  if ( mInt64Atomics )
    extensions.push_back( VK_KHR_SHADER_ATOMIC_INT64_EXTENSION_NAME );
  VkDeviceCreateInfo info {};
  info.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO;
  info.pNext = mInt64Atomics ? &enabledAtomics : nullptr;
  info.queueCreateInfoCount = 1;
  info.pQueueCreateInfos = &queueInfo;
  info.enabledExtensionCount = static_cast<uint32_t>( extensions.size() );
  info.ppEnabledExtensionNames = extensions.data();
  info.pEnabledFeatures = &enabled;
  VkDevice device = VK_NULL_HANDLE;
  const VkResult err = f->vkCreateDevice( chosen, &info, nullptr, &device );
  if ( err != VK_SUCCESS )
  {
    *reason = QStringLiteral( "vkCreateDevice failed (VkResult %1) on %2" ).arg( err ).arg( mName );
    destroy();
    return false;
  }
  VkQueue queue = VK_NULL_HANDLE;
  mInstance->deviceFunctions( device )->vkGetDeviceQueue( device, chosenFamily, 0, &queue );
  mDevice = device;
  mQueue = queue;
  return true;
}

void VulkanDevice::destroy()
{
  if ( mDevice && mInstance )
  {
    VkDevice device = static_cast<VkDevice>( mDevice );
    QVulkanDeviceFunctions *df = mInstance->deviceFunctions( device );
    df->vkDeviceWaitIdle( device );
    df->vkDestroyDevice( device, nullptr );
    mInstance->resetDeviceFunctions( device );
  }
  mDevice = nullptr;
  mQueue = nullptr;
  mPhysicalDevice = nullptr;
  mQueueFamily = -1;
  mSoftware = false;
  mInstance.reset();
}

} // namespace gridshade::gpu
