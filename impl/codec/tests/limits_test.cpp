// Decoder limits (entities.md §8): absurd declared sizes fail at once, against DECLARED values,
// without allocating; nesting is bounded. Built as its own executable because it replaces the
// global operator new to record the largest single allocation.
#include <gtest/gtest.h>

// The replacement operator new/delete below pair malloc with free, which g++ cannot see through.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include <atomic>
#include <cstdlib>
#include <new>

#include "codec/decoder.hpp"
#include "codec/encoder.hpp"
#include "codec/error.hpp"
#include "test_support.hpp"

namespace {
std::atomic<std::size_t> g_largest_allocation{0};

void note_allocation(std::size_t n) {
  std::size_t cur = g_largest_allocation.load(std::memory_order_relaxed);
  while (n > cur && !g_largest_allocation.compare_exchange_weak(cur, n, std::memory_order_relaxed)) {
  }
}
}  // namespace

void* operator new(std::size_t n) {
  note_allocation(n);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace versile::codec {
namespace {

using testing::from_hex;

constexpr std::size_t kSmallAllocation = 64 * 1024;

struct FirstFailure {
  std::size_t at_byte = 0;  // 1-based index of the byte whose feed reported the error
  std::error_code error;
  std::size_t largest_allocation = 0;
};

// Feeds byte by byte (so "fails at once" is measurable) and records where it failed.
FirstFailure feed_until_error(const std::vector<std::uint8_t>& bytes, const DecodeOptions& opts = {}) {
  g_largest_allocation = 0;
  FirstFailure f;
  Decoder d(opts);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto r = d.feed(std::span<const std::uint8_t>(&bytes[i], 1));
    if (r.status == Decoder::Status::error) {
      f.at_byte = i + 1;
      f.error = r.error;
      break;
    }
    if (r.status == Decoder::Status::complete) break;
  }
  f.largest_allocation = g_largest_allocation;
  return f;
}

std::vector<std::uint8_t> with_padding(std::vector<std::uint8_t> v, std::size_t extra = 64) {
  v.insert(v.end(), extra, 0x41);
  return v;
}

TEST(DecoderLimits, BytesLength2To63FailsOnTheFirstBodyByte) {
  // f3 fe 7f ff .. : a declared length of about 2^63.
  const auto f = feed_until_error(with_padding(from_hex("f3fe7fffffffffffffff")));
  EXPECT_EQ(f.error, Errc::entity_too_large);
  EXPECT_LE(f.at_byte, 3u);
  EXPECT_LT(f.largest_allocation, kSmallAllocation);
}

TEST(DecoderLimits, TupleCount2To62FailsAtOnce) {
  for (const char* hex : {"f6fe3fffffffffffffff", "f7fe3fffffffffffffff", "fefe3fffffffffffffff"}) {
    const auto f = feed_until_error(with_padding(from_hex(hex)));
    EXPECT_EQ(f.error, Errc::too_many_elements) << hex;
    EXPECT_LE(f.at_byte, 3u) << hex;
    EXPECT_LT(f.largest_allocation, kSmallAllocation) << hex;
  }
}

TEST(DecoderLimits, CountOverMaxElementsButWithinBytes) {
  DecodeOptions opts;
  opts.limits.max_elements = 1000;
  const auto f = feed_until_error(with_padding(from_hex("f6f80300")), opts);  // count 1015
  EXPECT_EQ(f.error, Errc::too_many_elements);
  EXPECT_EQ(f.at_byte, 4u);
  // Exactly at the limit is fine.
  std::vector<std::uint8_t> ok = from_hex("f6f802f1");  // count 247 + 0x02f1 = 1000
  ok.insert(ok.end(), 1000, 0x01);
  const auto r = decode_one(ok, opts);
  ASSERT_FALSE(r.error) << r.error.message();
  EXPECT_EQ(r.entity->as_tuple().size(), 1000u);
}

TEST(DecoderLimits, TotalElementsAcrossNestedComposites) {
  // Four tuples of 300 elements each: no single count is too large, the total is.
  DecodeOptions opts;
  opts.limits.max_total_elements = 1000;
  std::vector<std::uint8_t> bytes = from_hex("f604");
  for (int t = 0; t < 4; ++t) {
    const auto count = from_hex("f735");  // 247 + 0x35 = 300
    bytes.push_back(0xf6);
    bytes.insert(bytes.end(), count.begin(), count.end());
    bytes.insert(bytes.end(), 300, 0x01);
  }
  const auto f = feed_until_error(bytes, opts);
  EXPECT_EQ(f.error, Errc::too_many_elements);
  // Values 1..1000 are the outer tuple, three full tuples (3 * 301) and the 4th tuple's header
  // plus 95 of its elements; the 96th element's byte is number 2 + 3 * 303 + 3 + 96 = 1010.
  EXPECT_EQ(f.at_byte, 1010u);
  opts.limits.max_total_elements = 1205;  // 1 + 4 * 301 values: fits exactly
  EXPECT_FALSE(decode_one(bytes, opts).error);
}

TEST(DecoderLimits, FfChainsFailAtOnce) {
  // ff length-of-length chains in a length, a count and an integer.
  for (const char* prefix : {"f3", "f6", "ef", "fc", "fa"}) {
    std::vector<std::uint8_t> bytes = from_hex(prefix);
    bytes.insert(bytes.end(), 2000, 0xff);
    const auto f = feed_until_error(bytes);
    EXPECT_EQ(f.error, Errc::netbytes_too_long) << prefix;
    EXPECT_LE(f.at_byte, 8u) << prefix;
    EXPECT_LT(f.largest_allocation, kSmallAllocation) << prefix;
  }
}

TEST(DecoderLimits, NonMinimalNestedFfIsStillAccepted) {
  // ef ff ff 00 <9 zero bytes> <256 body bytes>: a legal (if silly) 490-ish integer encoding
  // whose length-of-length is itself in ff form.
  std::vector<std::uint8_t> bytes = from_hex("efffff00");
  bytes.insert(bytes.end(), 9, 0x00);  // inner body: 247 + 0 = 247 → outer body 256 bytes
  std::vector<std::uint8_t> body(256, 0x00);
  body.back() = 0x05;
  bytes.insert(bytes.end(), body.begin(), body.end());
  const auto r = decode_one(bytes);
  ASSERT_FALSE(r.error) << r.error.message();
  EXPECT_EQ(*r.entity, Entity(Integer(238 + 247 + 5)));
}

TEST(DecoderLimits, SmallEntityLimitAppliesToDeclaredSizes) {
  DecodeOptions opts;
  opts.limits.max_entity_bytes = 1000;
  struct Case {
    const char* hex;
    Errc error;
    std::size_t at_byte;
  };
  for (const Case& c : {
           Case{"f3f802f1", Errc::entity_too_large, 4},      // bytes, length 1000 (+4 header)
           Case{"f4f802f1", Errc::entity_too_large, 4},      // string
           Case{"f504f802f1", Errc::entity_too_large, 5},    // f5 data length
           Case{"f6f802f1", Errc::entity_too_large, 4},      // 1000 elements need >= 1000 bytes
           Case{"f602f3f801f5f3f801f5", Errc::entity_too_large, 10},  // two payloads of 500
           Case{"effff803e8", Errc::netbytes_too_long, 5},    // integer body of 1256 bytes
       }) {
    const auto f = feed_until_error(with_padding(from_hex(c.hex), 2000), opts);
    EXPECT_EQ(f.error, c.error) << c.hex << " got " << f.error.message();
    EXPECT_EQ(f.at_byte, c.at_byte) << c.hex;
    EXPECT_LT(f.largest_allocation, kSmallAllocation) << c.hex;
  }
  // An entity of exactly the limit decodes; one byte more does not.
  std::vector<std::uint8_t> exact = from_hex("f3f802ed");  // 247 + 0x2ed = 996 bytes + 4
  exact.resize(1000, 0x61);
  ASSERT_FALSE(decode_one(exact, opts).error);
  std::vector<std::uint8_t> over = from_hex("f3f802ee");
  over.resize(1001, 0x61);
  EXPECT_EQ(decode_one(over, opts).error, Errc::entity_too_large);
}

TEST(DecoderLimits, LegalLargeDeclarationAllocatesLazily) {
  // 100 MiB declared (under the 101 MiB default), then nothing: no huge allocation up front.
  std::vector<std::uint8_t> bytes = from_hex("f3fb");
  const std::uint64_t m = 100u * 1024u * 1024u - 247u;
  for (int i = 4; i >= 0; --i) bytes.push_back(static_cast<std::uint8_t>(m >> (8 * i)));
  bytes.push_back(0x42);
  g_largest_allocation = 0;
  Decoder d;
  const auto r = d.feed(bytes);
  EXPECT_EQ(r.status, Decoder::Status::need_more);
  EXPECT_LE(g_largest_allocation.load(), 17u * 1024u * 1024u);
}

TEST(DecoderLimits, PayloadsAboveTheEagerThresholdGrowAndDecode) {
  // 20 MiB of bytes and 17 MiB of text: buffers grow as data arrives instead of being
  // allocated from the declared length.
  std::vector<std::uint8_t> blob(20u << 20);
  for (std::size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<std::uint8_t>(i ^ (i >> 9));
  const Entity e(Tuple{Entity(Bytes(std::move(blob))), Entity(std::string(17u << 20, 'z'))});
  const auto bytes = encode_to_vector(e);
  const auto r = testing::decode_chunked(bytes, [] { return std::size_t{1} << 20; });
  ASSERT_EQ(r.status, Decoder::Status::complete) << r.error.message();
  EXPECT_EQ(*r.entity, e);
  EXPECT_EQ(r.consumed, bytes.size());
}

TEST(DecoderLimits, DepthLimit) {
  auto nested = [](std::size_t depth) {
    std::vector<std::uint8_t> v;
    for (std::size_t i = 0; i < depth; ++i) {
      v.push_back(0xf6);
      v.push_back(0x01);
    }
    v.push_back(0x01);
    return v;
  };
  DecodeOptions opts;
  opts.limits.max_depth = 8;
  EXPECT_FALSE(decode_one(nested(8), opts).error);
  const auto f = feed_until_error(nested(9), opts);
  EXPECT_EQ(f.error, Errc::too_deep);
  EXPECT_EQ(f.at_byte, 17u);  // the 9th f6
  // Tagged and exception nesting count too.
  EXPECT_EQ(decode_one(from_hex("fe01fe01f701f601fe01f701f601fe01f7010102"), opts).error, Errc::too_deep);

  // Default limit: the vectors' depth 100 passes, a million-deep prefix fails fast and
  // without recursion.
  EXPECT_FALSE(decode_one(nested(100)).error);
  EXPECT_FALSE(decode_one(nested(512)).error);
  const auto deep = feed_until_error(nested(1'000'000));
  EXPECT_EQ(deep.error, Errc::too_deep);
  EXPECT_EQ(deep.at_byte, 2u * 512u + 1u);
}

TEST(DecoderLimits, ErrorIsStickyUntilReset) {
  Decoder d;
  const auto bad = from_hex("ff");
  EXPECT_EQ(d.feed(bad).error, Errc::bad_type_code);
  const auto good = from_hex("01");
  const auto again = d.feed(good);
  EXPECT_EQ(again.status, Decoder::Status::error);
  EXPECT_EQ(again.consumed, 0u);
  d.reset();
  const auto r = d.feed(good);
  ASSERT_EQ(r.status, Decoder::Status::complete);
  EXPECT_EQ(d.take(), Entity(0));
}

TEST(DecoderLimits, NoPeerCodecRejectsF4ButNotF5) {
  DecodeOptions opts;
  opts.peer_codec = std::nullopt;
  EXPECT_EQ(decode_one(from_hex("f40161"), opts).error, Errc::no_peer_codec);
  const auto r = decode_one(from_hex("f504016175746638"), opts);
  ASSERT_FALSE(r.error);
  EXPECT_EQ(*r.entity, Entity("a"));
}

TEST(DecoderLimits, Utf16PeerCodecForF4) {
  DecodeOptions opts;
  opts.peer_codec = StringCodec::utf16;
  const auto r = decode_one(from_hex("f406fffe41003dd8"), opts);  // unpaired high surrogate
  EXPECT_EQ(r.error, Errc::invalid_text);
  const auto ok = decode_one(from_hex("f408fffe41003dd800de"), opts);
  ASSERT_FALSE(ok.error);
  EXPECT_EQ(*ok.entity, Entity("A\xf0\x9f\x98\x80"));
}

TEST(DecoderLimits, Utf8SurrogatesAndOverlongsRejected) {
  for (const char* hex : {"f403eda080", "f403edbfbf", "f402c0af", "f403e080af", "f404f8888080"}) {
    EXPECT_EQ(decode_one(from_hex(hex)).error, Errc::invalid_text) << hex;
  }
}

}  // namespace
}  // namespace versile::codec
