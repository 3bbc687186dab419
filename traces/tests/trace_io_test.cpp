#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "corpus.hpp"
#include "decode.hpp"
#include "trace_io.hpp"

namespace vpstream::traces {
namespace {

const std::filesystem::path kReference{VPSTREAM_REFERENCE_DIR};
const char* const kTraces[] = {"call-basics",    "entity-iterator", "fixed-bytes-read",
                               "recipe-bytes",   "recipe-entity",   "seek-and-reread"};

class ReferenceTrace : public ::testing::TestWithParam<const char*> {
 protected:
  Trace load() const { return read_trace_file(kReference / (std::string(GetParam()) + ".vptrace.jsonl")); }
};

TEST_P(ReferenceTrace, UnitsCoverEachDirectionAndMatchTheSummary) {
  const Trace t = load();
  EXPECT_EQ(t.scenario(), GetParam());
  for (Direction d : {Direction::a, Direction::b}) {
    const auto stream = t.stream(d);
    EXPECT_EQ(stream.size(), t.summary["bytes"][to_string(d)].get<std::size_t>());
    const auto units = t.units_of(d);
    EXPECT_EQ(units.size(), t.summary["units"][to_string(d)].get<std::size_t>());
    std::size_t offset = 0;
    for (const Unit* u : units) {
      EXPECT_EQ(u->offset, offset);
      offset += u->len;
    }
    EXPECT_EQ(offset, stream.size());
    ASSERT_FALSE(units.empty());
    EXPECT_EQ(units[0]->what, "handshake");
  }
}

TEST_P(ReferenceTrace, WriteThenReadGivesTheSameTrace) {
  const Trace t = load();
  std::stringstream buf;
  write_trace(buf, t);
  const Trace back = read_trace(buf);
  EXPECT_EQ(back.header, t.header);
  EXPECT_EQ(back.summary, t.summary);
  ASSERT_EQ(back.events.size(), t.events.size());
  ASSERT_EQ(back.units.size(), t.units.size());
  for (Direction d : {Direction::a, Direction::b}) EXPECT_EQ(back.stream(d), t.stream(d));
  for (std::size_t i = 0; i < t.units.size(); ++i) {
    EXPECT_EQ(back.units[i].vej, t.units[i].vej);
    EXPECT_EQ(back.units[i].step, t.units[i].step);
  }
}

TEST_P(ReferenceTrace, TimelineRecomputedFromEventsMatchesTheRecording) {
  Trace t = load();
  const auto recorded = t.units;
  assign_timeline(t);
  for (std::size_t i = 0; i < recorded.size(); ++i) {
    EXPECT_EQ(t.units[i].step, recorded[i].step) << "unit " << i;
    EXPECT_EQ(t.units[i].end_seq, recorded[i].end_seq) << "unit " << i;
  }
}

TEST_P(ReferenceTrace, CodecDecodingReproducesTheRecordedUnits) {
  const Trace t = load();
  for (Direction d : {Direction::a, Direction::b}) {
    const auto stream = t.stream(d);
    const auto decoded = decode_units(stream, d);
    const auto recorded = t.units_of(d);
    ASSERT_EQ(decoded.size(), recorded.size());
    for (std::size_t i = 0; i < decoded.size(); ++i) {
      EXPECT_EQ(decoded[i].len, recorded[i]->len) << to_string(d) << " unit " << i;
      EXPECT_EQ(decoded[i].vej, recorded[i]->vej) << to_string(d) << " unit " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(All, ReferenceTrace, ::testing::ValuesIn(kTraces));

TEST(TraceReader, RejectsAWrongHeaderAndAMissingSummary) {
  std::istringstream wrong(R"({"format":"vp-trace/2"})" "\n" R"({"k":"summary"})" "\n");
  try {
    read_trace(wrong);
    FAIL() << "accepted a vp-trace/2 header";
  } catch (const TraceError& e) {
    EXPECT_EQ(e.code(), TraceErrc::bad_header);
  }
  std::istringstream truncated(R"({"format":"vp-trace/1"})" "\n"
                               R"({"k":"raw","seq":0,"t":0,"from":"a","hex":"00"})" "\n");
  try {
    read_trace(truncated);
    FAIL() << "accepted a trace without summary";
  } catch (const TraceError& e) {
    EXPECT_EQ(e.code(), TraceErrc::no_summary);
  }
  std::istringstream badhex(R"({"format":"vp-trace/1"})" "\n"
                            R"({"k":"raw","seq":0,"t":0,"from":"a","hex":"0g"})" "\n"
                            R"({"k":"summary"})" "\n");
  try {
    read_trace(badhex);
    FAIL() << "accepted bad hex";
  } catch (const TraceError& e) {
    EXPECT_EQ(e.code(), TraceErrc::bad_hex);
  }
}

TEST(TraceReader, KeepsUnknownEventKindsAndIgnoresUnknownKeys) {
  std::istringstream in(R"({"format":"vp-trace/1","future":1})" "\n"
                        R"({"k":"marker","seq":0,"x":2})" "\n"
                        R"({"k":"raw","seq":1,"t":0,"from":"b","hex":"0102","extra":true})" "\n"
                        R"({"k":"summary"})" "\n");
  const Trace t = read_trace(in);
  ASSERT_EQ(t.events.size(), 2u);
  EXPECT_EQ(t.events[0].kind, Event::Kind::unknown);
  EXPECT_EQ(t.stream(Direction::b), (std::vector<std::uint8_t>{1, 2}));
}

TEST(Corpus, Sha256MatchesKnownDigests) {
  EXPECT_EQ(sha256_hex({}), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const std::string abc = "abc";
  EXPECT_EQ(sha256_hex({reinterpret_cast<const std::uint8_t*>(abc.data()), abc.size()}),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::vector<std::uint8_t> pattern(65536);
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    pattern[i] = static_cast<std::uint8_t>((i * 31 + (i >> 8) + 5 * (i >> 16)) % 256);
  }
  EXPECT_EQ(sha256_hex(pattern), "1dd334fe06e447d46e556e9c8f958a3ee41eb8e4cdf3cd36af3cdeae98fd7854");
}

TEST(Corpus, ExportIsIdempotentAndNamedByDigest) {
  const Trace t = read_trace_file(kReference / "recipe-entity.vptrace.jsonl");
  const auto dir = std::filesystem::temp_directory_path() /
                   ("vpstream-corpus-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::remove_all(dir);
  const auto first = export_corpus(t, dir);
  EXPECT_GT(first.written, 2u);
  const auto second = export_corpus(t, dir);
  EXPECT_EQ(second.written, 0u);
  EXPECT_EQ(second.existing, first.written + first.existing);
  const auto a = t.stream(Direction::a);
  EXPECT_TRUE(std::filesystem::exists(dir / "vec_stream" / sha256_hex(a)));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vpstream::traces
