// Seeded random entities: encode → decode (whole and in random chunks) gives the same entity,
// under each string-codec configuration.
#include <gtest/gtest.h>

#include <random>

#include "codec/decoder.hpp"
#include "codec/encoder.hpp"
#include "test_support.hpp"

namespace versile::codec {
namespace {

class EntityGenerator {
 public:
  explicit EntityGenerator(std::uint64_t seed) : rng_(seed) {}

  Entity any(int depth) {
    // Above the leaves, half of all values are composites.
    const int kind = depth > 0 && pick(0, 1) == 1 ? pick(9, 11) : pick(0, 8);
    switch (kind) {
      case 0: return Entity(None{});
      case 1: return Entity(pick(0, 1) == 1);
      case 2: return Entity(integer());
      case 3: return Entity(floating());
      case 4: return Entity(bytes());
      case 5:
      case 6: return Entity(string());
      case 7: return Entity(ref());
      case 8: return Entity(integer());
      case 9: return Entity(Tuple(children(depth)));
      case 10: return Entity(Exception{Tuple(children(depth))});
      default: {
        auto parts = children(depth);
        if (parts.empty()) parts.push_back(any(depth - 1));
        return Entity(Tagged(Tuple(std::move(parts))));
      }
    }
  }

  // A chain of one-element tuples `depth` deep around a random leaf.
  Entity deep(std::size_t depth) {
    Entity e = any(0);
    for (std::size_t i = 0; i < depth; ++i) e = Entity(Tuple{std::move(e)});
    return e;
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  Integer::Big big(int max_bits) {
    const int bits = pick(1, max_bits);
    Integer::Big v = 0;
    for (int i = 0; i < bits; i += 32) v = (v << 32) | Integer::Big(static_cast<std::uint32_t>(rng_()));
    v >>= (((bits + 31) / 32) * 32 - bits);
    return pick(0, 1) == 1 ? Integer::Big(-v) : v;
  }

  Integer integer() {
    switch (pick(0, 5)) {
      case 0: return Integer(pick(-1, 237));  // single byte forms
      case 1: return Integer(pick(-600, 600));
      case 2: return Integer(static_cast<std::int64_t>(rng_()));
      case 3: {  // around the 2^31, 2^32, 2^63, 2^64 boundaries
        static const int kPowers[] = {31, 32, 63, 64};
        Integer::Big v = Integer::Big(1) << kPowers[pick(0, 3)];
        v += pick(-300, 300);
        return Integer(pick(0, 1) == 1 ? Integer::Big(-v) : v);
      }
      default: return Integer(big(600));
    }
  }

  Float floating() {
    Float f;
    f.digits = integer();
    f.exp = pick(0, 3) == 0 ? Integer(big(100)) : Integer(pick(-1100, 1100));
    switch (pick(0, 4)) {
      case 0: f.base = Integer(2); break;
      case 1: f.base = Integer(10); break;
      case 2: f.base = Integer(pick(3, 1000)); break;  // odd bases go out as fb
      case 3: f.base = Integer(Integer::Big(big(200) * big(1)) * 0 + (Integer::Big(1) << pick(64, 200)) + 3); break;
      default: return Float::from_double(std::ldexp(static_cast<double>(rng_() >> 11), pick(-1074, 960)));
    }
    return f;
  }

  Bytes bytes() {
    const int len = pick(0, 3) == 0 ? pick(240, 700) : pick(0, 20);
    std::vector<std::uint8_t> b(static_cast<std::size_t>(len));
    for (auto& x : b) x = static_cast<std::uint8_t>(rng_());
    return Bytes(std::move(b));
  }

  static void append_utf8(std::string& s, std::uint32_t cp) {
    if (cp < 0x80) {
      s.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      s.push_back(static_cast<char>(0xc0 | (cp >> 6)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
      s.push_back(static_cast<char>(0xe0 | (cp >> 12)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else {
      s.push_back(static_cast<char>(0xf0 | (cp >> 18)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
  }

  String string() {
    std::string s;
    const int len = pick(0, 3) == 0 ? pick(100, 300) : pick(0, 12);
    for (int i = 0; i < len; ++i) {
      std::uint32_t cp = 0;
      switch (pick(0, 4)) {
        case 0: cp = static_cast<std::uint32_t>(pick(0, 0x7f)); break;
        case 1: cp = static_cast<std::uint32_t>(pick(0x80, 0x7ff)); break;
        case 2: cp = static_cast<std::uint32_t>(pick(0x800, 0xd7ff)); break;
        case 3: cp = static_cast<std::uint32_t>(pick(0xe000, 0xffff)); break;
        default: cp = static_cast<std::uint32_t>(pick(0x10000, 0x10ffff)); break;  // astral
      }
      append_utf8(s, cp);
    }
    switch (pick(0, 2)) {
      case 0: return String(std::move(s), StringCodec::utf8);
      case 1: return String(std::move(s), StringCodec::utf16);
      default: return String(std::move(s));
    }
  }

  ObjectRef ref() {
    const auto owner = pick(0, 1) == 1 ? ObjectRef::Owner::sender : ObjectRef::Owner::receiver;
    return ObjectRef::raw(owner, pick(0, 4) == 0 ? Integer(big(90)) : Integer(pick(1, 100000)));
  }

  std::vector<Entity> children(int depth) {
    std::vector<Entity> out;
    // Long element lists (counts past the 246/247 netbytes boundary) only near the leaves, so
    // entity sizes stay bounded.
    const int n = depth <= 1 && pick(0, 4) == 0 ? pick(0, 300) : pick(0, 5);
    out.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) out.push_back(any(pick(0, 1) == 1 ? depth - 1 : 0));
    return out;
  }

  std::mt19937_64 rng_;
};

std::size_t g_encoded_bytes = 0;  // guards against a generator that only makes trivial values

void check_round_trip(const Entity& e, const EncodeOptions& enc, const DecodeOptions& dec, std::uint64_t seed) {
  OutputBuffer out;
  ASSERT_FALSE(encode(e, out, enc));
  const auto bytes = out.flatten();
  g_encoded_bytes += bytes.size();
  const DecodeOneResult whole = decode_one(bytes, dec);
  ASSERT_FALSE(whole.error) << "seed " << seed << ": " << whole.error.message();
  ASSERT_EQ(*whole.entity, e) << "seed " << seed;
  const auto chunked = testing::decode_random_chunks(bytes, seed, 1 + seed % 300, dec);
  ASSERT_EQ(chunked.status, Decoder::Status::complete) << "seed " << seed;
  ASSERT_EQ(*chunked.entity, e) << "seed " << seed;
  // Canonical output is a fixed point: decoding and re-encoding gives the same bytes, except
  // that explicit codecs are not kept by the decoder (§7: re-encoding yields the canonical form).
  const auto again = encode_to_vector(*whole.entity, enc);
  ASSERT_EQ(decode_one(again, dec).entity, e) << "seed " << seed;
}

TEST(PropertyRoundTrip, RandomEntitiesWithUtf8Channel) {
  g_encoded_bytes = 0;
  for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
    EntityGenerator gen(seed);
    check_round_trip(gen.any(5), EncodeOptions{}, DecodeOptions{}, seed);
    if (::testing::Test::HasFatalFailure()) return;
  }
  EXPECT_GT(g_encoded_bytes, 100'000u);
}

TEST(PropertyRoundTrip, RandomEntitiesWithoutChannelCodec) {
  g_encoded_bytes = 0;
  EncodeOptions enc;
  enc.channel_codec = std::nullopt;  // every string goes out as f5
  DecodeOptions dec;
  dec.peer_codec = std::nullopt;  // so f4 would be rejected
  for (std::uint64_t seed = 1000; seed < 1500; ++seed) {
    EntityGenerator gen(seed);
    check_round_trip(gen.any(5), enc, dec, seed);
    if (::testing::Test::HasFatalFailure()) return;
  }
  EXPECT_GT(g_encoded_bytes, 100'000u);
}

TEST(PropertyRoundTrip, RandomEntitiesWithUtf16Channel) {
  g_encoded_bytes = 0;
  EncodeOptions enc;
  enc.channel_codec = StringCodec::utf16;
  DecodeOptions dec;
  dec.peer_codec = StringCodec::utf16;
  for (std::uint64_t seed = 2000; seed < 2500; ++seed) {
    EntityGenerator gen(seed);
    check_round_trip(gen.any(5), enc, dec, seed);
    if (::testing::Test::HasFatalFailure()) return;
  }
  EXPECT_GT(g_encoded_bytes, 100'000u);
}

TEST(PropertyRoundTrip, DeepTuplesUpToTheDepthLimit) {
  for (std::size_t depth : {1u, 100u, 255u, 511u}) {
    EntityGenerator gen(depth);
    const Entity e = gen.deep(depth);
    check_round_trip(e, EncodeOptions{}, DecodeOptions{}, depth);
  }
}

}  // namespace
}  // namespace versile::codec
