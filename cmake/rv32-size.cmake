# Firmware optimisation policy (rv32 only): a small image, a fast per-inference path.
#
# Firmware libraries and objects are compiled for size (-Oz). The sources on the path that runs
# on every inference keep -O2: the interpreter loop and import calls, the hal module's import
# functions (at -Oz or -Os they stop inlining the VM's argument readers), command-buffer replay,
# workgroup dispatch, hal buffers and views, the arena, the engine's run and the firmware's
# memset/memcpy. The list comes from the instruction profile of an inference (`bmrt evaluate
# --profile`). Included by the board's CMakeLists.txt once every runtime component exists.
# Figures: docs/benchmarks.md, "Firmware footprint".
#
# Each setting may be given with -D in a scratch build directory to compare choices.

# LTO (off by default) makes the image smaller and faster still, but inlines across components:
# functions the profile tools and tests locate by symbol (hal::Executable::Dispatch,
# platform::InstructionCount) disappear into their callers, and the instruction profile's
# per-component split follows the caller.
option(BMRT_RV32_LTO "Link the rv32 firmware with link-time optimisation" OFF)
if(BMRT_RV32_LTO)
  set(lto -flto)
  # The LTO code generator does not get -march from the driver; it builds each function for
  # that function's own target features anyway, this only keeps it from warning about the ABI.
  set(lto_link -flto "SHELL:-Xlinker -mllvm -Xlinker -mattr=+m,+f,+zicsr,+zifencei")
endif()
if(NOT DEFINED BMRT_RV32_SIZE_OPT)
  set(BMRT_RV32_SIZE_OPT -Oz ${lto})
endif()
# Without loop unrolling the path is 1.7 KB smaller and an inference ~50 instructions shorter
# (its loops run a handful of times).
if(NOT DEFINED BMRT_RV32_HOT_OPT)
  set(BMRT_RV32_HOT_OPT -O2 -fno-unroll-loops ${lto})
endif()
# Safe identical-code folding: only functions whose address is never taken are merged, so
# function-pointer identity stays meaningful.
if(NOT DEFINED BMRT_RV32_SIZE_LINK_OPTIONS)
  set(BMRT_RV32_SIZE_LINK_OPTIONS -Wl,--icf=safe ${lto_link})
endif()
# Paths relative to the source root.
if(NOT DEFINED BMRT_RV32_HOT_SOURCES)
  set(BMRT_RV32_HOT_SOURCES
      runtime/base/arena.cc
      runtime/vm/dispatch.cc
      runtime/vm/interpreter.cc
      runtime/hal/buffer.cc
      runtime/hal/buffer_view.cc
      runtime/hal/command_buffer.cc
      runtime/hal/executable.cc
      runtime/hal/hal_module_buffer.cc
      runtime/hal/hal_module_command.cc
      runtime/hal/hal_module_device.cc
      runtime/engine/iree_engine.cc
      platform/qemu-virt-rv32/memory_ops.cc)
endif()

function(_bmrt_rv32_source_option option)
  foreach(source IN LISTS ARGN)
    get_filename_component(directory ${CMAKE_SOURCE_DIR}/${source} DIRECTORY)
    # Source options follow the target's on the command line, so the last -O wins.
    set_property(SOURCE ${CMAKE_SOURCE_DIR}/${source} DIRECTORY ${directory}
                 APPEND PROPERTY COMPILE_OPTIONS ${option})
  endforeach()
endfunction()

# bmrt_rv32_optimize(COMPILE targets... LINK executables...): the size policy for the COMPILE
# targets (libraries and firmware executables) and speed for the hot sources; the link options
# for every rv32 executable that links those libraries (they hold LTO bitcode).
function(bmrt_rv32_optimize)
  cmake_parse_arguments(ARG "" "" "COMPILE;LINK" ${ARGN})
  foreach(target IN LISTS ARG_COMPILE)
    if(TARGET ${target})
      # The firmware never returns through exit(), so static destructors would only register
      # dead code with atexit.
      target_compile_options(${target} PRIVATE ${BMRT_RV32_SIZE_OPT}
                             $<$<COMPILE_LANGUAGE:CXX>:-fno-c++-static-destructors>)
    endif()
  endforeach()
  foreach(target IN LISTS ARG_LINK)
    if(TARGET ${target})
      target_link_options(${target} PRIVATE ${BMRT_RV32_SIZE_LINK_OPTIONS})
    endif()
  endforeach()
  _bmrt_rv32_source_option("${BMRT_RV32_HOT_OPT}" ${BMRT_RV32_HOT_SOURCES})
endfunction()
