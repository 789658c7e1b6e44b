// LD_PRELOAD shim: io_uring_setup fails with ENOSYS, so IREE's runtime falls back to its POSIX
// proactor. Valgrind does not emulate io_uring completions, and the official tools wait on
// them forever under callgrind; with this shim they run there.
#include <errno.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <unistd.h>

extern "C" long syscall(long number, ...) {
  if (number == SYS_io_uring_setup) {
    errno = ENOSYS;
    return -1;
  }
  va_list args;
  va_start(args, number);
  long a[6];
  for (long& value : a) value = va_arg(args, long);
  va_end(args);
  long result;
  register long r10 __asm__("r10") = a[3];
  register long r8 __asm__("r8") = a[4];
  register long r9 __asm__("r9") = a[5];
  __asm__ volatile("syscall"
                   : "=a"(result)
                   : "a"(number), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  if (result < 0 && result > -4096) {
    errno = int(-result);
    return -1;
  }
  return result;
}
