/* The capabilities the probe needs (see live_privileges.h). */
#include "app/live_privileges.h"

#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Numbers from the kernel's uapi; older headers lack the two newest. */
enum { CAP_NR_SYS_ADMIN = 21, CAP_NR_PERFMON = 38, CAP_NR_BPF = 39 };

static bool has(const struct __user_cap_data_struct d[2], unsigned cap)
{
	return d[cap / 32].effective & (1u << (cap % 32));
}

bool hr_live_privileges_ok(char *missing, size_t len)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct d[2] = {{0}};
	if (syscall(SYS_capget, &h, d) != 0)
		return true;
	bool admin = has(d, CAP_NR_SYS_ADMIN), bpf = has(d, CAP_NR_BPF), perfmon = has(d, CAP_NR_PERFMON);
	if (admin || (bpf && perfmon))
		return true;
	snprintf(missing, len, "%s%s%s", bpf ? "" : "CAP_BPF ", perfmon ? "" : "CAP_PERFMON ", "CAP_SYS_ADMIN");
	return false;
}
