// Real VPy traffic (traces/reference/*.vptrace.jsonl): each direction's byte stream, fed in the
// chunks the relay actually read, is a VEC hello followed by entities that decode to the
// recorded units and re-encode to the same bytes.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "codec/decoder.hpp"
#include "codec/encoder.hpp"
#include "codec/vec_channel.hpp"
#include "entity/tests/vector_file.hpp"
#include "entity/vej.hpp"
#include "test_support.hpp"

namespace versile::codec {
namespace {

using testing::from_hex;
using testing::to_hex;

std::vector<std::string> trace_files() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(VPSTREAM_REFERENCE_DIR)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".vptrace.jsonl")) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ReferenceTraces, EveryDirectionDecodesToItsUnits) {
  const auto files = trace_files();
  ASSERT_GE(files.size(), 5u);
  std::size_t messages = 0;
  for (const auto& file : files) {
    SCOPED_TRACE(file);
    std::map<std::string, std::vector<std::vector<std::uint8_t>>> chunks;  // per direction
    std::map<std::string, std::vector<nlohmann::json>> units;
    for (const auto& line : versile::testing::read_jsonl(file)) {
      const std::string kind = line.value("k", "");
      if (kind == "raw") chunks[line.at("from")].push_back(from_hex(line.at("hex").get<std::string>()));
      if (kind == "unit") units[line.at("from")].push_back(line);
    }
    ASSERT_EQ(chunks.size(), 2u);
    for (auto& [from, pieces] : chunks) {
      SCOPED_TRACE("direction " + from);
      const auto& expected = units[from];
      ASSERT_FALSE(expected.empty());
      std::vector<std::uint8_t> stream;
      for (const auto& p : pieces) stream.insert(stream.end(), p.begin(), p.end());

      VecHelloParser hello;
      Decoder decoder;
      bool in_hello = true;
      std::size_t unit = 0;
      std::size_t offset = 0;  // of the current entity in the stream
      std::size_t stream_pos = 0;
      for (const auto& piece : pieces) {
        std::span<const std::uint8_t> rest(piece);
        while (!rest.empty()) {
          if (in_hello) {
            const auto r = hello.feed(rest);
            ASSERT_NE(r.status, VecHelloParser::Status::error);
            rest = rest.subspan(r.consumed);
            stream_pos += r.consumed;
            if (r.status == VecHelloParser::Status::done) {
              ASSERT_EQ(expected[0].at("what"), "handshake");
              ASSERT_EQ(stream_pos, expected[0].at("len").get<std::size_t>());
              DecodeOptions opts;
              opts.peer_codec = hello.peer_codec();
              decoder = Decoder(opts);
              in_hello = false;
              unit = 1;
              offset = stream_pos;
            }
            continue;
          }
          const auto r = decoder.feed(rest);
          ASSERT_NE(r.status, Decoder::Status::error) << r.error.message() << " at unit " << unit;
          rest = rest.subspan(r.consumed);
          stream_pos += r.consumed;
          if (r.status != Decoder::Status::complete) continue;
          ASSERT_LT(unit, expected.size());
          const auto& u = expected[unit];
          ASSERT_EQ(u.at("what"), "message");
          EXPECT_EQ(offset, u.at("offset").get<std::size_t>()) << "unit " << unit;
          EXPECT_EQ(stream_pos - offset, u.at("len").get<std::size_t>()) << "unit " << unit;
          const Entity got = decoder.take();
          EXPECT_EQ(got, from_vej(u.at("vej"))) << "unit " << unit << ": " << got;
          const std::span<const std::uint8_t> original(stream.data() + offset, stream_pos - offset);
          EXPECT_EQ(to_hex(encode_to_vector(got)), to_hex(original)) << "unit " << unit;
          ++messages;
          ++unit;
          offset = stream_pos;
        }
      }
      EXPECT_EQ(unit, expected.size()) << "every unit decoded";
      EXPECT_EQ(stream_pos, stream.size());
      EXPECT_EQ(decoder.bytes_in_progress(), 0u);
    }
  }
  EXPECT_GT(messages, 100u);
}

}  // namespace
}  // namespace versile::codec
