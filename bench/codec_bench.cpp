// Encode/decode throughput of the entity codec against memcpy of the same number of bytes.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <span>

#include "codec/decoder.hpp"
#include "codec/encoder.hpp"
#include "memcpy_baseline.hpp"

namespace {

using namespace versile;
using namespace versile::codec;

Entity bytes_1mib() {
  std::vector<std::uint8_t> data(1u << 20);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 131 + 7);
  return Entity(Bytes(std::move(data)));
}

Entity small_int_tuple() {
  std::vector<Entity> items;
  items.reserve(10000);
  for (int i = 0; i < 10000; ++i) items.emplace_back(i % 1000 - 200);  // 1-3 encoded bytes each
  return Entity(Tuple(std::move(items)));
}

// A call-like message: 200 records of mixed scalars, strings, small payloads, tags and nesting.
Entity nested_mixed() {
  std::vector<Entity> records;
  for (int i = 0; i < 200; ++i) {
    std::vector<std::uint8_t> blob(64, static_cast<std::uint8_t>(i));
    records.emplace_back(Tuple{
        Entity(i), Entity("record-" + std::to_string(i)), Entity(Bytes(std::move(blob))),
        Entity(Float{Integer(i * 12345), Integer(10), Integer(-3)}), Entity(i % 2 == 0),
        Entity(Tagged(Entity(Tuple{Entity(i), Entity(i + 1)}), {Entity(21), Entity(1), Entity(2)})),
        Entity(Tuple{Entity(None{}), Entity(Tuple{Entity(-i), Entity("x")})}),
        Entity(Integer(Integer::Big(1) << 70) )});
  }
  return Entity(Tuple{Entity(1), Entity(42), Entity(Tuple(std::move(records)))});
}

const Entity& fixture(int which) {
  static const Entity kBytes = bytes_1mib();
  static const Entity kInts = small_int_tuple();
  static const Entity kMixed = nested_mixed();
  switch (which) {
    case 0: return kBytes;
    case 1: return kInts;
    default: return kMixed;
  }
}

const char* fixture_name(int which) {
  static const char* kNames[] = {"bytes_1MiB", "tuple_10k_small_ints", "nested_mixed"};
  return kNames[which];
}

void BM_Encode(benchmark::State& state) {
  const Entity& e = fixture(static_cast<int>(state.range(0)));
  state.SetLabel(fixture_name(static_cast<int>(state.range(0))));
  const std::size_t size = encode_to_vector(e).size();
  OutputBuffer out;
  vpstream::bench::RelativeTimer timer(state, size);
  for (auto _ : state) {
    out.clear();
    if (encode(e, out)) state.SkipWithError("encode failed");
    benchmark::DoNotOptimize(out.size());
  }
  timer.finish();
}

// Encoding plus gathering the chunks into one contiguous buffer (what a writer without
// scatter-gather I/O would do).
void BM_EncodeFlatten(benchmark::State& state) {
  const Entity& e = fixture(static_cast<int>(state.range(0)));
  state.SetLabel(fixture_name(static_cast<int>(state.range(0))));
  const std::size_t size = encode_to_vector(e).size();
  vpstream::bench::RelativeTimer timer(state, size);
  for (auto _ : state) {
    auto v = encode_to_vector(e);
    benchmark::DoNotOptimize(v.data());
  }
  timer.finish();
}

void decode_loop(benchmark::State& state, std::size_t chunk) {
  const Entity& e = fixture(static_cast<int>(state.range(0)));
  state.SetLabel(fixture_name(static_cast<int>(state.range(0))));
  const std::vector<std::uint8_t> bytes = encode_to_vector(e);
  Decoder d;
  vpstream::bench::RelativeTimer timer(state, bytes.size());
  for (auto _ : state) {
    std::size_t pos = 0;
    while (true) {
      const std::size_t n = std::min(chunk, bytes.size() - pos);
      const auto r = d.feed(std::span<const std::uint8_t>(bytes).subspan(pos, n));
      pos += r.consumed;
      if (r.status == Decoder::Status::complete) break;
      if (r.status == Decoder::Status::error || pos == bytes.size()) {
        state.SkipWithError("decode failed");
        return;
      }
    }
    Entity out = d.take();
    benchmark::DoNotOptimize(&out);
  }
  timer.finish();
}

void BM_Decode(benchmark::State& state) { decode_loop(state, SIZE_MAX); }
// Fed in 4 KiB pieces, like socket reads: must stay linear (no re-buffering of the prefix).
void BM_DecodeChunked4K(benchmark::State& state) { decode_loop(state, 4096); }

BENCHMARK(BM_Encode)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_EncodeFlatten)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Decode)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_DecodeChunked4K)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
