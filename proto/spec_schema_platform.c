/* Schema tables for the other platforms' objects (solaris, windows, vm, zos, freebsd):
   checked like the rest so a config written for them is read, then refused by rt_spec_validate. See
   spec_internal.h. */
#include "spec_internal.h"

/* config-solaris.json */

static const struct field solaris_cpu_fields[] = { STR ("ncpus"), END };
static const struct field solaris_mem_fields[] = { STR ("physical"), STR ("swap"), END };
static const struct field solaris_anet_fields[] = {
  STR ("linkname"),  STR ("lowerLink"),  STR ("allowedAddress"), STR ("configureAllowedAddress"),
  STR ("defrouter"), STR ("macAddress"), STR ("linkProtection"), END,
};
static const struct field solaris_anet_item = OBJ (NULL, solaris_anet_fields);
const struct field spec_solaris_fields[] = {
  STR ("milestone"),
  STR ("limitpriv"),
  STR ("maxShmMemory"),
  OBJ ("cappedCPU", solaris_cpu_fields),
  OBJ ("cappedMemory", solaris_mem_fields),
  ARRAY ("anet", solaris_anet_item),
  END,
};

/* config-windows.json */

static const char *const windows_id_types[] = { "class", NULL };
static const struct field windows_device_fields[] = {
  STR ("id", REQ),
  ENUM ("idType", windows_id_types, "device id type", REQ),
  END,
};
static const struct field windows_device_item = OBJ (NULL, windows_device_fields);
static const struct field windows_memory_fields[] = { U64 ("limit"), END };
static const struct field windows_affinity_fields[] = { U64 ("mask"), U32 ("group"), END };
static const struct field windows_cpu_fields[] = {
  U64 ("count"), U16 ("shares"), U16 ("maximum"), OBJ ("affinity", windows_affinity_fields), END,
};
static const struct field windows_storage_fields[] = {
  U64 ("iops"),
  U64 ("bps"),
  U64 ("sandboxSize"),
  END,
};
static const struct field windows_resources_fields[] = {
  OBJ ("memory", windows_memory_fields),
  OBJ ("cpu", windows_cpu_fields),
  OBJ ("storage", windows_storage_fields),
  END,
};
static const struct field windows_network_fields[] = {
  STRV ("endpointList"),    BOOL ("allowUnqualifiedDNSQuery"),
  STRV ("DNSSearchList"),   STR ("networkSharedContainerName"),
  STR ("networkNamespace"), END,
};
static const struct field windows_hyperv_fields[] = { STR ("utilityVMPath"), END };
const struct field spec_windows_fields[] = {
  STRV ("layerFolders", .flags = F_REQ | F_NONEMPTY),
  ARRAY ("devices", windows_device_item),
  OBJ ("resources", windows_resources_fields),
  OBJ ("network", windows_network_fields),
  { .name = "credentialSpec", .kind = K_ANYOBJ },
  BOOL ("servicing"),
  BOOL ("ignoreFlushesDuringBoot"),
  OBJ ("hyperv", windows_hyperv_fields),
  END,
};

/* config-vm.json */

static const char *const vm_image_formats[] = { "raw", "qcow2", "vdi", "vmdk", "vhd", NULL };
static const struct field vm_hypervisor_fields[] = { STR ("path", REQ), STRV ("parameters"), END };
static const struct field vm_kernel_fields[] = {
  STR ("path", REQ),
  STRV ("parameters"),
  STR ("initrd"),
  END,
};
static const struct field vm_image_fields[] = {
  STR ("path", REQ),
  ENUM ("format", vm_image_formats, "image format", REQ),
  END,
};
static const struct field vm_iomem_fields[] = {
  U64 ("firstGFN"),
  U64 ("firstMFN", REQ),
  U64 ("nrMFNs", REQ),
  END,
};
static const struct field vm_iomem_item = OBJ (NULL, vm_iomem_fields);
static const struct field vm_hw_fields[] = {
  STR ("deviceTree"),
  U32 ("vcpus"),
  U64 ("memory"),
  STRV ("dtdevs"),
  ARRAY ("iomems", vm_iomem_item),
  ARRAY ("irqs", spec_u32_item),
  END,
};
const struct field spec_vm_fields[] = {
  OBJ ("hypervisor", vm_hypervisor_fields),
  OBJ ("kernel", vm_kernel_fields, REQ),
  OBJ ("image", vm_image_fields),
  OBJ ("hwConfig", vm_hw_fields),
  END,
};

/* config-zos.json */

static const char *const zos_namespace_types[] = { "mount", "pid", "uts", "ipc", NULL };
static const struct field zos_namespace_fields[] = {
  ENUM ("type", zos_namespace_types, "namespace type", REQ),
  STR ("path"),
  END,
};
static const struct field zos_namespace_item = OBJ (NULL, zos_namespace_fields);
const struct field spec_zos_fields[] = { ARRAY ("namespaces", zos_namespace_item), END };

/* config-freebsd.json */

static const char *const sharing_modes[] = { "disable", "new", "inherit", NULL };
static const char *const sharing_modes_no_disable[] = { "new", "inherit", NULL };
static const struct field freebsd_device_fields[] = { STR ("path"), UINT ("mode", 0777), END };
static const struct field freebsd_device_item = OBJ (NULL, freebsd_device_fields);
static const struct field freebsd_allow_fields[] = {
  BOOL ("setHostname"), BOOL ("rawSockets"),
  BOOL ("chflags"),     STRV ("mount"),
  BOOL ("quotas"),      BOOL ("socketAf"),
  BOOL ("mlock"),       BOOL ("reservedPorts"),
  BOOL ("suser"),       END,
};
static const struct field freebsd_jail_fields[] = {
  STR ("parent"),
  ENUM ("host", sharing_modes_no_disable, "sharing mode"),
  ENUM ("ip4", sharing_modes, "sharing mode"),
  STRV ("ip4Addr"),
  ENUM ("ip6", sharing_modes, "sharing mode"),
  STRV ("ip6Addr"),
  ENUM ("vnet", sharing_modes_no_disable, "sharing mode"),
  STR ("interface"),
  STRV ("vnetInterfaces"),
  ENUM ("sysvmsg", sharing_modes, "sharing mode"),
  ENUM ("sysvsem", sharing_modes, "sharing mode"),
  ENUM ("sysvshm", sharing_modes, "sharing mode"),
  U8 ("enforceStatfs"),
  OBJ ("allow", freebsd_allow_fields),
  END,
};
const struct field spec_freebsd_fields[] = {
  ARRAY ("devices", freebsd_device_item),
  OBJ ("jail", freebsd_jail_fields),
  END,
};
