// Synthetic modules, one defect at a time: each must be rejected with a message naming what and
// where, and the arena must be left as it was.
#include "runtime/vmfb/verifier.h"

#include <gtest/gtest.h>

#include "runtime/vmfb/test_module_spec.h"

namespace bmrt::vmfb {
namespace {

using testing::BuildModule;
using testing::ModuleSpec;
using testing::OneFunction;

// Loads and verifies `bytes`; returns "" on success, else the error message.
std::string Check(const std::vector<uint8_t>& bytes) {
  std::vector<uint8_t> region(1 << 20);
  Arena arena(MutableByteSpan(region.data(), region.size()));
  ErrorMessage message;
  // An exact-size copy so that any read past the end is caught by the sanitizers.
  std::vector<uint8_t> copy(bytes);
  Result<Module*> module = LoadVerifiedModule(ByteSpan(copy.data(), copy.size()), arena, message);
  std::string result;
  if (module.ok()) {
    FreeModule(arena, module.value());
  } else {
    result = module.status().message();
    EXPECT_FALSE(result.empty());
  }
  EXPECT_EQ(arena.stats().live_allocations, 0u);
  return result;
}

std::string Check(const ModuleSpec& spec) { return Check(BuildModule(spec)); }

// Block; return r0 (cconv 0i_i): 79 5A 01 00 00 00.
std::vector<uint8_t> ReturnI32(uint16_t reg) {
  return {0x79, 0x5A, 0x01, 0x00, uint8_t(reg), uint8_t(reg >> 8)};
}

TEST(Verifier, AcceptsMinimalFunction) {
  EXPECT_EQ(Check(OneFunction("0i_i", ReturnI32(0), 1)), "");
}

TEST(Verifier, SignatureMustFitTheRegisters) {
  // i32, then an i64 aligned to r2..r3: four slots.
  EXPECT_EQ(Check(OneFunction("0iI_i", ReturnI32(0), 4)), "");
  EXPECT_EQ(Check(OneFunction("0iI_i", ReturnI32(0), 3)),
            "function 0 (main) pc 0x0: arguments of '0iI_i' need 4 i32 and 0 ref registers, "
            "function has 3 and 0");
  EXPECT_NE(Check(OneFunction("0rr_i", ReturnI32(0), 1, 1)).find("need 0 i32 and 2 ref"),
            std::string::npos);
  EXPECT_NE(Check(OneFunction("0CiD_i", ReturnI32(0), 4)).find("cannot take variadic"),
            std::string::npos);
  // Results are returned from listed registers: `i, I, i` fits in four (seen in compiler output).
  std::vector<uint8_t> code = {0x79, 0x5A, 0x03, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x00};
  EXPECT_EQ(Check(OneFunction("0v_iIi", code, 4)), "");
}

TEST(Verifier, ExtensionOpsNeedTheDeclaredFeature) {
  // const.f32.zero -> r0; return r0.
  ModuleSpec spec = OneFunction("0v_f", {0x79, 0xE0, 0x04, 0x00, 0x00, 0x5A, 0x01, 0x00, 0x00, 0x00}, 1);
  EXPECT_NE(Check(spec).find("f32 op in a function that does not declare the feature"),
            std::string::npos);
  spec.functions[0].requirements = 1;
  EXPECT_EQ(Check(spec), "");
}

TEST(Verifier, RegisterOutOfRange) {
  EXPECT_EQ(Check(OneFunction("0i_i", ReturnI32(70), 64)),
            "function 0 (main) pc 0x1: register r70 out of range (64 i32 registers)");
}

TEST(Verifier, RefRegisterWhereI32Expected) {
  EXPECT_NE(Check(OneFunction("0i_i", ReturnI32(0x8000), 1, 1)).find("expected an i32-bank register"),
            std::string::npos);
}

TEST(Verifier, I64AtOddRegisterOrPastTheEnd) {
  EXPECT_EQ(Check(OneFunction("0I_I", ReturnI32(0), 2)), "");
  EXPECT_NE(Check(OneFunction("0I_I", ReturnI32(1), 4)).find("odd register r1"), std::string::npos);
  // const.i64.zero into r0..r1 with a single i32 register.
  EXPECT_EQ(Check(OneFunction("0v_v", {0x79, 0x0E, 0x00, 0x00, 0x5A, 0x00, 0x00, 0x00}, 1)),
            "function 0 (main) pc 0x1: register r1 out of range (1 i32 registers)");
}

TEST(Verifier, ReturnCountMustMatchSignature) {
  EXPECT_NE(Check(OneFunction("0i_ii", ReturnI32(0), 2)).find("expects more"), std::string::npos);
  EXPECT_NE(Check(OneFunction("0i_v", ReturnI32(0), 2)).find("expects fewer"), std::string::npos);
}

TEST(Verifier, MoveBitOnlyWhereAllowed) {
  // cmp.nz.ref r0 -> i0 (its operand does not allow MOVE); return i0.
  std::vector<uint8_t> code = {0x79, 0x55, 0x00, 0x80, 0x00, 0x00, 0x5A, 0x00,
                               0x01, 0x00, 0x00, 0x00};
  EXPECT_EQ(Check(OneFunction("0r_i", code, 1, 1)), "");
  code[3] = 0xC0;
  EXPECT_NE(Check(OneFunction("0r_i", code, 1, 1)).find("move bit not allowed"), std::string::npos);
}

// pc0 block; pc1 br 0x8 (no operands); pc8 block; pc9 return (no values).
std::vector<uint8_t> BranchTo(uint32_t target) {
  return {0x79, 0x56, uint8_t(target), uint8_t(target >> 8), uint8_t(target >> 16),
          uint8_t(target >> 24), 0x00, 0x00, 0x79, 0x5A, 0x00, 0x00};
}

TEST(Verifier, BranchTargetsLandOnBlockMarkers) {
  EXPECT_EQ(Check(OneFunction("0v_v", BranchTo(8), 0, 0, 2)), "");
  EXPECT_EQ(Check(OneFunction("0v_v", BranchTo(9), 0, 0, 2)),
            "function 0 (main) pc 0x1: branch target 0x9 is not a block marker");
  EXPECT_NE(Check(OneFunction("0v_v", BranchTo(100), 0, 0, 2)).find("outside the function"),
            std::string::npos);
}

TEST(Verifier, BlockStructure) {
  EXPECT_NE(Check(OneFunction("0v_v", BranchTo(8), 0, 0, 3)).find("2 blocks found, descriptor declares 3"),
            std::string::npos);
  EXPECT_NE(Check(OneFunction("0v_v", {0x5A, 0x00, 0x00}, 0, 0, 1)).find("does not start with a block"),
            std::string::npos);
  // A block without a terminator.
  EXPECT_NE(Check(OneFunction("0v_v", {0x79, 0x0C, 0x00, 0x00}, 1, 0, 1)).find("no terminator"),
            std::string::npos);
  // A marker before the previous block ended.
  EXPECT_NE(Check(OneFunction("0v_v", {0x79, 0x79, 0x5A, 0x00, 0x00, 0x00}, 0, 0, 2)).find("inside a block"),
            std::string::npos);
}

TEST(Verifier, UnknownAndTruncatedOps) {
  EXPECT_NE(Check(OneFunction("0v_v", {0x79, 0xAA, 0x5A, 0x00, 0x00})).find("unknown opcode 0xaa"),
            std::string::npos);
  ModuleSpec ext = OneFunction("0v_v", {0x79, 0xE0, 0x7F, 0x5A, 0x00, 0x00});
  ext.functions[0].requirements = 1;  // EXT_F32
  EXPECT_NE(Check(ext).find("unknown opcode 0x7f (ext f32)"), std::string::npos);
  // const.i32 needs 4 + 2 bytes after the opcode.
  EXPECT_NE(Check(OneFunction("0v_v", {0x79, 0x0D, 0x01, 0x02})).find("past the end"),
            std::string::npos);
  // fail with a message longer than the function.
  EXPECT_NE(Check(OneFunction("0v_v", {0x79, 0x5B, 0x00, 0x00, 0x40, 0x00, 'x'}, 1)).find("past the end"),
            std::string::npos);
}

// global.load.i32 <offset> -> r0; return.
std::vector<uint8_t> GlobalLoad(uint8_t opcode, uint32_t attr) {
  return {0x79, opcode, uint8_t(attr), uint8_t(attr >> 8), uint8_t(attr >> 16),
          uint8_t(attr >> 24), 0x00, 0x00, 0x5A, 0x00, 0x00, 0x00};
}

TEST(Verifier, GlobalsInRange) {
  ModuleSpec spec = OneFunction("0v_v", GlobalLoad(0x00, 12), 2);
  spec.global_bytes = 16;
  EXPECT_EQ(Check(spec), "");
  spec.functions[0].code = GlobalLoad(0x00, 14);
  EXPECT_NE(Check(spec).find("global byte offset 14"), std::string::npos);
  spec.functions[0].code = GlobalLoad(0x04, 12);  // i64 at 12..20 > 16
  EXPECT_NE(Check(spec).find("outside 16 global bytes"), std::string::npos);
}

TEST(Verifier, RefGlobalRodataTypeOrdinals) {
  // global.load.ref <global> <type> -> ref r0; return.
  std::vector<uint8_t> code = {0x79, 0x08, 0x00, 0, 0, 0, 0x00, 0, 0, 0, 0x00, 0x80,
                               0x5A, 0x00, 0x00, 0x00};
  ModuleSpec spec = OneFunction("0v_v", code, 0, 1);
  spec.types = {"i32", "!vm.buffer"};
  code[6] = 1;
  spec.functions[0].code = code;
  spec.global_refs = 1;
  EXPECT_EQ(Check(spec), "");
  spec.global_refs = 0;
  EXPECT_NE(Check(spec).find("ref global 0 out of range (0 ref globals)"), std::string::npos);
  spec.global_refs = 1;
  spec.functions[0].code[6] = 2;
  EXPECT_NE(Check(spec).find("type 2 out of range (2 types)"), std::string::npos);
  // const.ref.rodata <ordinal> -> ref r0.
  spec.functions[0].code = {0x79, 0x11, 0x01, 0, 0, 0, 0x00, 0x80, 0x5A, 0x00, 0x00, 0x00};
  spec.embedded_rodata = {{1, 2, 3}};
  EXPECT_NE(Check(spec).find("rodata 1 out of range (1 segments)"), std::string::npos);
  spec.embedded_rodata.push_back({4});
  EXPECT_EQ(Check(spec), "");
}

// call <callee> (r0) -> (r1); return.
std::vector<uint8_t> CallCode(uint32_t callee, uint8_t operand_count) {
  std::vector<uint8_t> code = {0x79, 0x58, uint8_t(callee), uint8_t(callee >> 8),
                               uint8_t(callee >> 16), uint8_t(callee >> 24)};
  code.push_back(operand_count);
  code.push_back(0x00);
  for (uint8_t i = 0; i < operand_count; ++i) code.insert(code.end(), {0x00, 0x00});
  code.insert(code.end(), {0x01, 0x00, 0x01, 0x00, 0x5A, 0x00, 0x00, 0x00});
  return code;
}

TEST(Verifier, CallsMatchCalleeSignature) {
  ModuleSpec spec = OneFunction("0v_v", CallCode(0x80000000u, 1), 2);
  spec.imports = {{"native.f", "0i_i"}};
  EXPECT_EQ(Check(spec), "");
  spec.functions[0].code = CallCode(0x80000000u, 2);
  EXPECT_NE(Check(spec).find("call operands: 2 registers listed"), std::string::npos);
  spec.functions[0].code = CallCode(0x80000001u, 1);
  EXPECT_NE(Check(spec).find("import ordinal 1 out of range (1 imports)"), std::string::npos);
  spec.functions[0].code = CallCode(5, 1);
  EXPECT_NE(Check(spec).find("function ordinal 5 out of range"), std::string::npos);
  spec.imports = {{"native.f", "0iCiD_i"}};
  spec.functions[0].code = CallCode(0x80000000u, 1);
  EXPECT_NE(Check(spec).find("needs call.variadic"), std::string::npos);
}

TEST(Verifier, VariadicSegments) {
  // call.variadic import 0, segments [0xFFFF, 2], operands (r0, r1, r2), results (r3); return.
  std::vector<uint8_t> code = {0x79, 0x59, 0x00, 0x00, 0x00, 0x80, 0x02, 0x00, 0xFF, 0xFF,
                               0x02, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00,
                               0x01, 0x00, 0x03, 0x00, 0x5A, 0x00, 0x00, 0x00};
  ModuleSpec spec = OneFunction("0v_v", code, 4);
  spec.imports = {{"native.sum", "0iCiD_i"}};
  EXPECT_EQ(Check(spec), "");
  spec.functions[0].code[10] = 3;  // three tuples, but only two registers listed
  EXPECT_NE(Check(spec).find("expects more"), std::string::npos);
  spec.functions[0].code[10] = 2;
  spec.functions[0].code[8] = 1;  // a fixed argument with a variadic size
  EXPECT_NE(Check(spec).find("fixed argument with a variadic segment size"), std::string::npos);
  spec.functions[0].code[8] = 0xFF;
  spec.functions[0].code[5] = 0x00;  // callee: internal function 0
  EXPECT_NE(Check(spec).find("variadic call to internal function 0"), std::string::npos);
}

TEST(Verifier, ModuleLevelChecks) {
  ModuleSpec spec = OneFunction("0i_i", ReturnI32(0), 1);
  spec.bytecode_version = 18u << 16;
  EXPECT_EQ(Check(spec), "bytecode version 18.0 not supported (runtime: 17.0)");
  spec.bytecode_version = (17u << 16) | 1;
  EXPECT_NE(Check(spec).find("17.1 not supported"), std::string::npos);
  spec = OneFunction("0i_i", ReturnI32(0), 1);
  spec.requirements = 0x10;
  EXPECT_NE(Check(spec).find("requires features 0x10"), std::string::npos);
  spec = OneFunction("0i_i", ReturnI32(0), 1);
  spec.name = "";
  EXPECT_EQ(Check(spec), "module has no name");
  spec = OneFunction("0i_i", ReturnI32(0), 1);
  spec.exports = {{"main", 1}};
  EXPECT_NE(Check(spec).find("function ordinal 1 out of range"), std::string::npos);
  spec = OneFunction("0i_i", ReturnI32(0), 1);
  spec.drop_signature = true;
  EXPECT_NE(Check(spec).find("0 function signatures but 1 function descriptors"), std::string::npos);
  spec = OneFunction("0i_i", ReturnI32(0), 1);
  spec.functions[0].length_override = 100;
  EXPECT_NE(Check(spec).find("bytecode range outside bytecode_data"), std::string::npos);
  spec = OneFunction("0i_i", ReturnI32(0), 0x8000);
  EXPECT_NE(Check(spec).find("too many i32 registers"), std::string::npos);
  spec = OneFunction("0i_i", ReturnI32(0), 1, 0x4000);
  EXPECT_NE(Check(spec).find("too many ref registers"), std::string::npos);
  spec = OneFunction("0x_i", ReturnI32(0), 1);
  EXPECT_NE(Check(spec).find("bad calling convention"), std::string::npos);
  spec = OneFunction("0i_i", ReturnI32(0), 1);
  spec.types = {"i32", "!not.a_type"};
  EXPECT_NE(Check(spec).find("unknown ref type '!not.a_type'"), std::string::npos);
}

TEST(Verifier, ExternalRodataMustFitTheArchive) {
  ModuleSpec spec = OneFunction("0i_i", ReturnI32(0), 1);
  spec.external_bytes = std::vector<uint8_t>(100, 0xAB);
  spec.external_rodata = {{16, 84}};
  EXPECT_EQ(Check(spec), "");
  spec.external_rodata = {{16, 85}};
  EXPECT_NE(Check(spec).find("rodata 0: external range 0x10+0x55 outside the archive"),
            std::string::npos);
  spec.external_rodata = {{~0ull - 4, 16}};
  EXPECT_NE(Check(spec).find("outside the archive"), std::string::npos);
}

TEST(Verifier, ArchiveWrapper) {
  std::vector<uint8_t> good = BuildModule(OneFunction("0i_i", ReturnI32(0), 1));
  std::vector<uint8_t> bad_id = good;
  bad_id[8] = 'X';
  EXPECT_EQ(Check(bad_id), "FlatBuffer identifier is not IREE");
  std::vector<uint8_t> big = good;
  big[0] = 0xFF;
  big[1] = 0xFF;
  EXPECT_EQ(Check(big), "FlatBuffer size prefix exceeds the archive");
  // A ZIP local header whose name/extra lengths run past the end.
  std::vector<uint8_t> zip = {'P', 'K', 3, 4};
  zip.resize(30, 0);
  zip[26] = 0xFF;
  EXPECT_NE(Check(zip), "");
}

// Every truncation and every single-byte corruption of a valid synthetic module either loads
// and verifies or fails cleanly (the sanitizer build catches stray reads).
TEST(Verifier, SurvivesTruncationAndCorruption) {
  ModuleSpec spec = OneFunction("0v_v", CallCode(0x80000000u, 1), 2);
  spec.imports = {{"native.f", "0i_i"}};
  spec.embedded_rodata = {{1, 2, 3, 4}};
  std::vector<uint8_t> bytes = BuildModule(spec);
  ASSERT_EQ(Check(bytes), "");
  for (size_t length = 0; length < bytes.size(); ++length) {
    EXPECT_NE(Check(std::vector<uint8_t>(bytes.begin(), bytes.begin() + length)), "") << length;
  }
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (uint8_t flip : {0x01, 0x80, 0xFF}) {
      std::vector<uint8_t> corrupt = bytes;
      corrupt[i] ^= flip;
      Check(corrupt);
    }
  }
}

}  // namespace
}  // namespace bmrt::vmfb
