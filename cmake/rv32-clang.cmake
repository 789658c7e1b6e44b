# Cross toolchain for the rv32 firmware: clang-22 + lld, picolibc, GCC's rv32 libgcc.
#
# Firmware code is built for rv32imf (no vector extension) so one image runs on the vector CPU
# and on the scalar CPU; files that need vectors add their own -march (see BMRT_RV32_VECTOR_MARCH)
# and are only entered after the firmware has found a vector unit.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(BMRT_PLATFORM "qemu-virt-rv32" CACHE STRING "Board to build for" FORCE)

set(BMRT_RV32_TRIPLE riscv32-unknown-elf)
set(BMRT_RV32_MARCH rv32imf_zicsr_zifencei)
set(BMRT_RV32_VECTOR_MARCH rv32imf_zicsr_zifencei_zve32f CACHE INTERNAL "")
set(BMRT_RV32_ABI ilp32f)

set(BMRT_PICOLIBC_PREFIX /usr/lib/picolibc/riscv64-unknown-elf CACHE PATH "picolibc install prefix")
set(BMRT_RV32_LIBGCC /usr/lib/gcc/riscv64-unknown-elf/12.2.0/rv32imf/ilp32f/libgcc.a
    CACHE FILEPATH "GCC's rv32imf/ilp32f libgcc.a (soft routines; clang has no rv32 compiler-rt)")
set(BMRT_PICOLIBC_LIBDIR ${BMRT_PICOLIBC_PREFIX}/lib/release/rv32imf/ilp32f)

set(CMAKE_C_COMPILER clang-22)
set(CMAKE_CXX_COMPILER clang++-22)
set(CMAKE_ASM_COMPILER clang-22)
foreach(lang C CXX ASM)
  set(CMAKE_${lang}_COMPILER_TARGET ${BMRT_RV32_TRIPLE})
endforeach()

set(BMRT_RV32_COMMON_FLAGS
    "-march=${BMRT_RV32_MARCH} -mabi=${BMRT_RV32_ABI} -mcmodel=medany \
-ffunction-sections -fdata-sections -nostdlibinc -isystem ${BMRT_PICOLIBC_PREFIX}/include")
set(CMAKE_C_FLAGS_INIT "${BMRT_RV32_COMMON_FLAGS}")
set(CMAKE_CXX_FLAGS_INIT
    "${BMRT_RV32_COMMON_FLAGS} -fno-threadsafe-statics -fno-use-cxa-atexit")
set(CMAKE_ASM_FLAGS_INIT "${BMRT_RV32_COMMON_FLAGS}")
set(CMAKE_C_FLAGS_RELEASE "-O2 -DNDEBUG" CACHE STRING "Release flags (not CMake's -O3)")
set(CMAKE_CXX_FLAGS_RELEASE "-O2 -DNDEBUG" CACHE STRING "Release flags (not CMake's -O3)")
set(CMAKE_ASM_FLAGS_RELEASE "-DNDEBUG" CACHE STRING "Release flags")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-fuse-ld=lld -nostdlib -static -Wl,--gc-sections")

# Appended to every executable's link line. picolibc keeps libm in libc.a (its libm.a holds
# only a stray rv64 object).
set(BMRT_RV32_SYSTEM_LIBS
    "-Wl,--start-group ${BMRT_PICOLIBC_LIBDIR}/libc.a \
${BMRT_RV32_LIBGCC} -Wl,--end-group")
set(CMAKE_C_STANDARD_LIBRARIES "${BMRT_RV32_SYSTEM_LIBS}" CACHE STRING "" FORCE)
set(CMAKE_CXX_STANDARD_LIBRARIES "${BMRT_RV32_SYSTEM_LIBS}" CACHE STRING "" FORCE)

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
