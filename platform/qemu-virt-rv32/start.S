// Reset entry: gp, sp, trap vector, FPU, .bss, vector-unit probe, init arrays, then
// bmrt_main(fdt) and bmrt_exit(its result). QEMU's reset code passes the device tree in a1.
#define MSTATUS_FS_INITIAL (1 << 13)
#define MSTATUS_VS_INITIAL (1 << 9)
#define CSR_VLENB 0xC22
#define PMP_NAPOT_256_MASK 0x1F          /* (256 / 8) - 1 */
#define PMP_LOCKED_NAPOT_NO_ACCESS 0x98  /* L | A=NAPOT, R=W=X=0 */

  .section .text.start, "ax"
  .globl _start
_start:
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop
  la sp, __stack_top
  mv s0, a1

  la t0, bmrt_trap_entry
  csrw mtvec, t0
  // Stack guard: PMP entry 0 covers the 256 bytes below the stack (NAPOT), grants nothing and
  // is locked, so that it applies to M-mode too.
  la t0, __bmrt_stack_guard
  srli t0, t0, 2
  ori t0, t0, PMP_NAPOT_256_MASK
  csrw pmpaddr0, t0
  li t0, PMP_LOCKED_NAPOT_NO_ACCESS
  csrw pmpcfg0, t0
  li t0, MSTATUS_FS_INITIAL
  csrs mstatus, t0
  csrw fcsr, zero

  la t0, __bss_start
  la t1, __bss_end
1:
  bgeu t0, t1, 2f
  sw zero, 0(t0)
  addi t0, t0, 4
  j 1b
2:
  call bmrt_probe_vector_unit

  la s1, __init_array_start
  la s2, __init_array_end
3:
  bgeu s1, s2, 4f
  lw t0, 0(s1)
  jalr t0
  addi s1, s1, 4
  j 3b
4:
  mv a0, s0
  call bmrt_main
  call bmrt_exit
5:
  j 5b

// Turns the vector unit on and reads vlenb; a CPU without one traps on the read, and the
// temporary handler skips the instruction, leaving 0. Stores vlenb (0: none) in bmrt_vlenb.
  .section .text.bmrt_probe_vector_unit, "ax"
  .globl bmrt_probe_vector_unit
bmrt_probe_vector_unit:
  la t0, .Lprobe_trap
  csrrw t1, mtvec, t0
  li t2, MSTATUS_VS_INITIAL
  csrs mstatus, t2
  li a0, 0
  csrr a0, CSR_VLENB
  csrw mtvec, t1
  bnez a0, 1f
  csrc mstatus, t2
1:
  la t0, bmrt_vlenb
  sw a0, 0(t0)
  ret
  .balign 4
.Lprobe_trap:
  csrr t3, mepc
  addi t3, t3, 4
  csrw mepc, t3
  mret

// Trap entry: a fresh stack and gp (either may be what went wrong), then the reporter.
  .section .text.trap, "ax"
  .balign 4
  .globl bmrt_trap_entry
bmrt_trap_entry:
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop
  la sp, bmrt_trap_stack_top
  csrr a0, mcause
  csrr a1, mepc
  csrr a2, mtval
  call bmrt_handle_trap
6:
  j 6b

// Semihosting call: a0 = operation, a1 = parameter; returns a0. The three-instruction
// sequence must be uncompressed and within one page.
  .section .text.bmrt_semihosting_call, "ax"
  .balign 16
  .globl bmrt_semihosting_call
bmrt_semihosting_call:
  .option push
  .option norvc
  slli zero, zero, 0x1f
  ebreak
  srai zero, zero, 7
  .option pop
  ret

  .section .bss.bmrt_trap_stack, "aw", @nobits
  .balign 16
  .space 2048
bmrt_trap_stack_top:
