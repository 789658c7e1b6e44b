// Compiled with BMRT_RV32_VECTOR_MARCH (see CMakeLists.txt).
#include <riscv_vector.h>

#include "platform/qemu-virt-rv32/selftest_kernels.h"

namespace bmrt::platform {

float DotVector(const float* a, const float* b, size_t n) {
  size_t vlmax = __riscv_vsetvlmax_e32m8();
  vfloat32m8_t sums = __riscv_vfmv_v_f_f32m8(0.0f, vlmax);
  for (size_t i = 0; i < n;) {
    size_t vl = __riscv_vsetvl_e32m8(n - i);
    vfloat32m8_t va = __riscv_vle32_v_f32m8(a + i, vl);
    vfloat32m8_t vb = __riscv_vle32_v_f32m8(b + i, vl);
    sums = __riscv_vfmacc_vv_f32m8_tu(sums, va, vb, vl);
    i += vl;
  }
  vfloat32m1_t zero = __riscv_vfmv_s_f_f32m1(0.0f, 1);
  return __riscv_vfmv_f_s_f32m1_f32(__riscv_vfredusum_vs_f32m8_f32m1(sums, zero, vlmax));
}

void SaxpyVector(float alpha, const float* x, const float* y, float* out, size_t n) {
  for (size_t i = 0; i < n;) {
    size_t vl = __riscv_vsetvl_e32m8(n - i);
    vfloat32m8_t vx = __riscv_vle32_v_f32m8(x + i, vl);
    vfloat32m8_t vy = __riscv_vle32_v_f32m8(y + i, vl);
    __riscv_vse32_v_f32m8(out + i, __riscv_vfmacc_vf_f32m8(vy, alpha, vx, vl), vl);
    i += vl;
  }
}

}  // namespace bmrt::platform
