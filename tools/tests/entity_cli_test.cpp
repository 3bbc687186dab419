// Runs the built `vpstream entity encode|decode` over the reference vectors (the CLI contract
// documented in tools/cmd_entity.cpp).
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using nlohmann::json;

struct RunResult {
  int exit_status = -1;
  std::vector<std::string> lines;
};

RunResult run_vpstream(const std::string& args, const std::vector<std::string>& input) {
  char path[] = "/tmp/vpstream-entity-cli-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  close(fd);
  {
    std::ofstream out(path, std::ios::binary);
    for (const auto& line : input) out << line << '\n';
  }
  const std::string command = std::string(VPSTREAM_BINARY) + " " + args + " < " + path + " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed");
  std::string output;
  char buf[65536];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, n);
  const int status = pclose(pipe);
  unlink(path);
  RunResult r;
  r.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::size_t start = 0;
  while (start < output.size()) {
    const auto end = output.find('\n', start);
    if (end == std::string::npos) {
      r.lines.push_back(output.substr(start));
      break;
    }
    r.lines.push_back(output.substr(start, end - start));
    start = end + 1;
  }
  return r;
}

std::vector<json> read_jsonl(const std::string& name) {
  std::ifstream in(std::string(VPSTREAM_REFERENCE_DIR) + "/" + name);
  std::vector<json> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(json::parse(line));
  }
  if (out.empty()) throw std::runtime_error("no vectors in " + name);
  return out;
}

std::vector<json> valid_vectors() {
  std::vector<json> out;
  for (auto& v : read_jsonl("entity-vectors.jsonl")) {
    if (v.contains("entity")) out.push_back(v);
  }
  return out;
}

std::vector<json> invalid_vectors() {
  std::vector<json> out;
  for (auto& v : read_jsonl("entity-vectors.jsonl")) {
    if (v.contains("invalid_hex")) out.push_back(v);
  }
  return out;
}

// The VEJ with every string's "enc" removed.
json without_enc(json j) {
  if (j.is_array()) {
    for (auto& item : j) item = without_enc(item);
  } else if (j.is_object()) {
    if (j.contains("str")) j.erase("enc");
    for (auto& [key, value] : j.items()) {
      if (key != "str") value = without_enc(value);
    }
  }
  return j;
}

TEST(EntityCli, EncodesEveryValidVector) {
  const auto vectors = valid_vectors();
  std::vector<std::string> input;
  for (const auto& v : vectors) input.push_back(v["entity"].dump());
  const auto r = run_vpstream("entity encode", input);
  EXPECT_EQ(r.exit_status, 0);
  ASSERT_EQ(r.lines.size(), vectors.size());
  for (std::size_t i = 0; i < vectors.size(); ++i) {
    EXPECT_EQ(r.lines[i], vectors[i]["hex"].get<std::string>()) << vectors[i]["name"];
  }
}

TEST(EntityCli, DecodesEveryValidVector) {
  const auto vectors = valid_vectors();
  std::vector<std::string> input;
  for (const auto& v : vectors) input.push_back(v["hex"]);
  const auto r = run_vpstream("entity decode", input);
  EXPECT_EQ(r.exit_status, 0);
  ASSERT_EQ(r.lines.size(), vectors.size());
  for (std::size_t i = 0; i < vectors.size(); ++i) {
    // Decoding gives the entity "ignoring enc" (entities.md §12): the decoded VEJ may or may not
    // carry the f5 codec, so compare without it.
    EXPECT_EQ(without_enc(json::parse(r.lines[i])), without_enc(vectors[i]["entity"])) << vectors[i]["name"];
  }
}

TEST(EntityCli, DecodesNonCanonicalVectors) {
  const auto vectors = read_jsonl("entity-vectors-noncanonical.jsonl");
  std::vector<std::string> input;
  for (const auto& v : vectors) input.push_back(v["hex"]);
  const auto r = run_vpstream("entity decode", input);
  ASSERT_EQ(r.lines.size(), vectors.size());
  std::vector<std::string> reencode;
  for (std::size_t i = 0; i < vectors.size(); ++i) {
    EXPECT_EQ(json::parse(r.lines[i]), vectors[i]["entity"]) << vectors[i]["name"];
    reencode.push_back(r.lines[i]);
  }
  const auto again = run_vpstream("entity encode", reencode);
  ASSERT_EQ(again.lines.size(), vectors.size());
  for (std::size_t i = 0; i < vectors.size(); ++i) {
    EXPECT_EQ(again.lines[i], vectors[i]["canonical_hex"].get<std::string>()) << vectors[i]["name"];
  }
}

std::string expected_error_for(const std::string& name) {
  if (name.rfind("code/ff", 0) == 0) return "bad_type_code";
  if (name.rfind("tagged/no-value", 0) == 0) return "tagged_without_value";
  if (name.rfind("floatN/base-", 0) == 0) return "float_base_below_two";
  if (name.rfind("str/bad-utf8", 0) == 0 || name == "str-enc/bad-utf8" || name == "str-enc/utf16-odd-length") {
    return "invalid_text";
  }
  if (name == "str-enc/unknown-codec" || name == "str-enc/empty-codec") return "unknown_codec";
  return "";
}

TEST(EntityCli, ClassifiesEveryInvalidVector) {
  const auto vectors = invalid_vectors();
  std::vector<std::string> input;
  for (const auto& v : vectors) input.push_back(v["invalid_hex"]);
  const auto r = run_vpstream("entity decode", input);
  EXPECT_EQ(r.exit_status, 0);
  ASSERT_EQ(r.lines.size(), vectors.size());
  const std::set<std::string> limit_errors = {"entity_too_large", "too_many_elements", "netbytes_too_long",
                                              "too_deep"};
  for (std::size_t i = 0; i < vectors.size(); ++i) {
    const std::string name = vectors[i]["name"];
    const std::string kind = vectors[i]["kind"];
    const json out = json::parse(r.lines[i]);
    SCOPED_TRACE(name + " -> " + r.lines[i]);
    if (name.rfind("ref/remote-unknown", 0) == 0) {
      // Without a link every fd id is accepted (entities.md §12).
      EXPECT_FALSE(out.is_object() && (out.contains("error") || out.contains("incomplete")));
      continue;
    }
    if (kind == "trailing") {
      EXPECT_EQ(out.value("error", ""), "trailing");
      EXPECT_TRUE(out.contains("detail"));
    } else if (kind == "incomplete") {
      const bool incomplete = out == json{{"incomplete", true}};
      const bool over_limit = limit_errors.count(out.value("error", "")) == 1;
      EXPECT_TRUE(incomplete || over_limit);
    } else {
      ASSERT_TRUE(out.contains("error"));
      const std::string expected = expected_error_for(name);
      if (expected.empty()) {
        EXPECT_EQ(limit_errors.count(out["error"].get<std::string>()), 1u);
      } else {
        EXPECT_EQ(out["error"], expected);
      }
      EXPECT_TRUE(out["detail"].is_string());
    }
  }
}

TEST(EntityCli, TraceUnitsRoundTripThroughEncodeAndDecode) {
  std::vector<json> units;
  for (const char* file : {"call-basics.vptrace.jsonl", "recipe-entity.vptrace.jsonl",
                           "seek-and-reread.vptrace.jsonl"}) {
    for (auto& line : read_jsonl(file)) {
      if (line.contains("vej")) units.push_back(line["vej"]);
    }
  }
  std::vector<std::string> input;
  for (const auto& u : units) input.push_back(u.dump());
  const auto encoded = run_vpstream("entity encode", input);
  ASSERT_EQ(encoded.lines.size(), units.size());
  const auto decoded = run_vpstream("entity decode", encoded.lines);
  ASSERT_EQ(decoded.lines.size(), units.size());
  for (std::size_t i = 0; i < units.size(); ++i) EXPECT_EQ(json::parse(decoded.lines[i]), units[i]) << i;
}

TEST(EntityCli, InvalidVejLinesAreReportedInPlace) {
  const std::vector<std::string> input = {
      R"({"int":"5"})", "not json", "", R"({"int":"x"})", R"({"bytes":"0"})", "17",
      R"({"float":{"digits":"1","base":"1","exp":"0"}})", R"({"str":"a","enc":"koi8"})", "[null, true]"};
  const auto r = run_vpstream("entity encode", input);
  EXPECT_EQ(r.exit_status, 0);
  ASSERT_EQ(r.lines.size(), input.size());
  EXPECT_EQ(r.lines[0], "06");
  EXPECT_EQ(json::parse(r.lines[1])["error"], "bad_json");
  EXPECT_EQ(json::parse(r.lines[2])["error"], "bad_json");
  EXPECT_EQ(json::parse(r.lines[3])["error"], "bad_integer");
  EXPECT_EQ(json::parse(r.lines[4])["error"], "bad_hex");
  EXPECT_EQ(json::parse(r.lines[5])["error"], "not_an_entity");
  EXPECT_EQ(json::parse(r.lines[6])["error"], "bad_float");
  EXPECT_EQ(json::parse(r.lines[7])["error"], "bad_codec");
  EXPECT_EQ(r.lines[8], "f602f8f2");
  for (std::size_t i = 1; i < 8; ++i) EXPECT_TRUE(json::parse(r.lines[i])["detail"].is_string()) << i;
}

TEST(EntityCli, InvalidHexLinesAreReportedInPlace) {
  const auto r = run_vpstream("entity decode", {"0", "zz", "F8", "01\r", "f6020102"});
  EXPECT_EQ(r.exit_status, 0);
  ASSERT_EQ(r.lines.size(), 5u);
  EXPECT_EQ(json::parse(r.lines[0])["error"], "bad_hex");
  EXPECT_EQ(json::parse(r.lines[1])["error"], "bad_hex");
  EXPECT_EQ(json::parse(r.lines[2]), json(nullptr));
  EXPECT_EQ(json::parse(r.lines[3]), json::parse(R"({"int":"0"})"));
  EXPECT_EQ(json::parse(r.lines[4]), json::parse(R"([{"int":"0"},{"int":"1"}])"));
}

TEST(EntityCli, UsageErrorsExitWithTwo) {
  EXPECT_EQ(run_vpstream("entity", {}).exit_status, 2);
  EXPECT_EQ(run_vpstream("entity frobnicate", {}).exit_status, 2);
  EXPECT_EQ(run_vpstream("entity encode --no-such-option", {}).exit_status, 2);
  EXPECT_EQ(run_vpstream("entity decode", {}).exit_status, 0);
}

}  // namespace
