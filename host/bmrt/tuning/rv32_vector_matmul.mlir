// Tile sizes for every linalg.matmul compiled for the rv32-vector target (VLEN 512, f32 lanes 16),
// loaded by iree-compile with --iree-codegen-tuning-spec-path (host/bmrt/compile.py).
//
// IREE's default for these shapes vectorizes the output columns with a reduction tile of 1: for a
// matmul whose right operand is stored transposed (a fully connected layer, 16x224 weights) every
// reduction step then gathers one column element by element. Reduction tiles of 32 let each step
// load rows contiguously; two output rows by 16 columns per vector step. Measured in
// docs/evaluation.md, "Vector code generation" (magic wand: the 1x16x224 layer 16,199 -> 2,099
// instructions per inference).
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__kernel_config(%variant: !transform.any_op {transform.consumed})
      -> !transform.any_op attributes {iree_codegen.tuning_spec_entrypoint} {
    %matmuls = transform.structured.match ops{["linalg.matmul"]} in %variant
        : (!transform.any_op) -> !transform.any_op
    %config = transform.param.constant #iree_codegen.compilation_info<
        lowering_config = #iree_cpu.lowering_config<distribution = [0, 16, 0],
                                                    vector_common_parallel = [2, 16, 0],
                                                    vector_reduction = [0, 0, 32]>,
        translation_info = #iree_codegen.translation_info<
            pipeline = #iree_cpu.pipeline<DoubleTilingExpert>>> -> !transform.any_param
    transform.annotate %matmuls "compilation_info" = %config : !transform.any_op, !transform.any_param
    transform.yield %variant : !transform.any_op
  }
}
