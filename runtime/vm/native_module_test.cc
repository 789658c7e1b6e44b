#include "runtime/vm/native_module.h"

#include <gtest/gtest.h>

namespace bmrt::vm {
namespace {

Status Add(NativeCall&, ArgReader& args, ResultWriter& results) {
  int32_t a = args.ReadI32();
  int64_t b = args.ReadI64();
  results.WriteI64(a + b);
  return OkStatus();
}

// (i64, tuple<i32, i64>...) -> (i64, i32): base + sum of a*b, and the tuple count.
Status SumPairs(NativeCall&, ArgReader& args, ResultWriter& results) {
  int64_t sum = args.ReadI64();
  int32_t n = args.BeginList();
  for (int32_t i = 0; i < n; ++i) {
    int32_t a = args.ReadI32();
    sum += a * args.ReadI64();
  }
  args.EndList();
  results.WriteI64(sum);
  results.WriteI32(n);
  return OkStatus();
}

constexpr NativeFunction kFunctions[] = {
    {"add", "0iI_I", &Add},
    {"sum_pairs", "0ICiID_Ii", &SumPairs},
};
constexpr NativeModuleDef kModule = {"t", 1, kFunctions};

TEST(NativeModule, FindsSortedExports) {
  EXPECT_TRUE(kModule.IsSorted());
  ASSERT_NE(kModule.Find("sum_pairs"), nullptr);
  EXPECT_EQ(kModule.Find("add")->fn, &Add);
  EXPECT_EQ(kModule.Find("ad"), nullptr);
  EXPECT_EQ(kModule.Find("zzz"), nullptr);
  NativeFunction unsorted[] = {{"b", "0v_v", nullptr}, {"a", "0v_v", nullptr}};
  EXPECT_FALSE((NativeModuleDef{"u", 0, unsorted}).IsSorted());
}

TEST(NativeModule, MarshalsScalarsAndTupleLists) {
  NativeCall call;
  ArgPack args;
  args.I32(3).I64(int64_t(1) << 40);
  ResultWriter results;
  ASSERT_TRUE(CallNative(*kModule.Find("add"), call, args, results).ok());
  ASSERT_EQ(results.count(), 1u);
  EXPECT_EQ(results.kind(0), ResultWriter::Kind::kI64);
  EXPECT_EQ(int64_t(results.bits(0)), (int64_t(1) << 40) + 3);

  ArgPack list_args;
  list_args.I64(100).BeginList(2).I32(2).I64(10).I32(-3).I64(7).EndList();
  ResultWriter list_results;
  ASSERT_TRUE(CallNative(*kModule.Find("sum_pairs"), call, list_args, list_results).ok());
  EXPECT_EQ(int64_t(list_results.bits(0)), 100 + 20 - 21);
  EXPECT_EQ(int32_t(list_results.bits(1)), 2);
}

}  // namespace
}  // namespace bmrt::vm
