// The streamer half of the conformance gateway (conformance-gateway.md): bytes_fixed,
// bytes_file, file_contents, entities_fixed, entities_iter, and the NameSorter's reset().
#include "gateway/stream_methods.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <system_error>

#include "gateway/patterns.hpp"
#include "object/vexception.hpp"
#include "vse/stream/file_data.hpp"
#include "vse/stream/fixed_data.hpp"
#include "vse/stream/streamer.hpp"

namespace vpstream::conformance {
namespace {

namespace vs = versile::stream;

// Longest pattern bytes_fixed serves; the data is generated per read, never materialised.
constexpr std::int64_t max_pattern_length = std::int64_t{1} << 40;
// Largest item count entities_iter serves (items are generated lazily too).
constexpr std::int64_t max_iter_count = std::int64_t{1} << 40;

// pattern(length, seed) as read-only fixed streamer data (same mode rules as fixed bytes).
class PatternBytesData final : public vs::StreamerData {
 public:
  PatternBytesData(std::int64_t length, std::int64_t seed) : length_(length), seed_(seed) {}
  vs::ElementKind kind() const noexcept override { return vs::ElementKind::bytes; }
  versile::Entity read(std::int64_t max_num) override {
    if (closed_) throw vs::StreamError("Streamer data was closed");
    const std::int64_t n = std::max<std::int64_t>(0, std::min(max_num, length_ - pos_));
    std::vector<std::uint8_t> out(static_cast<std::size_t>(n));
    fill_pattern(out, static_cast<std::uint64_t>(pos_), seed_);
    pos_ += n;
    return versile::Entity(versile::Bytes(std::move(out)));
  }
  std::int64_t seek(std::int64_t pos, vs::PosRef ref) override {
    if (closed_) throw vs::StreamError("Streamer data was closed");
    pos_ = vs::fixed_seek_target(pos, ref, pos_, length_);
    return pos_;
  }
  void close() override { closed_ = true; }
  std::int64_t pos() const override { return pos_; }
  vs::Endpoints endpoints() const override { return {0, length_}; }
  vs::RequiredMode req_mode() const override { return vs::fixed_data_req_mode; }
  vs::Mode opt_mode() const override { return vs::fixed_data_opt_mode; }

 private:
  std::int64_t length_;
  std::int64_t seed_;
  std::int64_t pos_ = 0;
  bool closed_ = false;
};

// Files of bytes_file: one temporary directory per process, removed at exit; tokens 1, 2, 3 …
class FileRegistry {
 public:
  static FileRegistry& instance() {
    static FileRegistry registry;
    return registry;
  }
  ~FileRegistry() {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  std::pair<std::int64_t, std::filesystem::path> create(const versile::Bytes& initial) {
    std::scoped_lock lock(mutex_);
    if (dir_.empty()) {
      std::string tmpl = (std::filesystem::temp_directory_path() / "vpstream-gateway-XXXXXX").string();
      if (!::mkdtemp(tmpl.data())) throw versile::VException("Could not create file directory");
      dir_ = tmpl;
    }
    const std::int64_t token = next_token_++;
    auto path = dir_ / ("file-" + std::to_string(token));
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(initial.data()),
              static_cast<std::streamsize>(initial.size()));
    if (!out) throw versile::VException("Could not create file");
    files_.emplace(token, path);
    return {token, path};
  }
  std::optional<std::filesystem::path> find(std::int64_t token) {
    std::scoped_lock lock(mutex_);
    auto it = files_.find(token);
    if (it == files_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::mutex mutex_;
  std::filesystem::path dir_;
  std::int64_t next_token_ = 1;
  std::map<std::int64_t, std::filesystem::path> files_;
};

versile::Entity bytes_fixed(std::int64_t length, std::int64_t seed) {
  if (length < 0 || length > max_pattern_length) throw versile::VException("Invalid length");
  auto data = std::make_unique<PatternBytesData>(length, seed);
  vs::StreamerConfig config;
  config.mode = vs::fixed_data_req_mode.bits | vs::mode::seek_rew | vs::mode::seek_fwd;
  return vs::ByteStreamer::create(std::move(data), config).proxy();
}

versile::Entity bytes_file(const versile::Bytes& initial) {
  auto [token, path] = FileRegistry::instance().create(initial);
  auto data = std::make_unique<vs::SimpleFileData>(path, "r+b", true, true);
  vs::StreamerConfig config;
  config.mode = data->req_mode().bits | vs::mode::readable | vs::mode::writable |
                vs::mode::seek_rew | vs::mode::seek_fwd | vs::mode::end_can_dec |
                vs::mode::end_can_inc | vs::mode::can_move_end;
  config.write_buffer = true;
  auto streamer = vs::ByteStreamer::create(std::move(data), config);
  return versile::Entity(versile::Tuple{streamer.proxy(), versile::Entity(token)});
}

versile::Bytes file_contents(std::int64_t token) {
  auto path = FileRegistry::instance().find(token);
  if (!path) throw versile::VException("Unknown file token");
  std::ifstream in(*path, std::ios::binary);
  std::vector<std::uint8_t> data{std::istreambuf_iterator<char>(in), {}};
  return versile::Bytes(std::move(data));
}

versile::Entity entities_fixed(const versile::Tuple& items) {
  return vs::EntityStreamer::fixed(items, true, true).proxy();
}

versile::Entity entities_iter(std::int64_t count) {
  if (count < 0 || count > max_iter_count) throw versile::VException("Invalid count");
  auto next = [i = std::int64_t{0}, count]() mutable -> std::optional<versile::Entity> {
    if (i >= count) return std::nullopt;
    return item(static_cast<std::uint64_t>(i++));
  };
  return vs::EntityStreamer::iterator(std::move(next)).proxy();
}

}  // namespace

void publish_stream_methods(versile::External& gateway) {
  gateway.publish("bytes_fixed", &bytes_fixed,
                  {.doc = "bytes_fixed(length, seed) -> byte streamer over pattern(length, seed)",
                   .show = true});
  gateway.publish("bytes_file", &bytes_file,
                  {.doc = "bytes_file(initial) -> [byte streamer over a new file, token]",
                   .show = true});
  gateway.publish("file_contents", &file_contents,
                  {.doc = "file_contents(token) -> the file's current bytes", .show = true});
  gateway.publish("entities_fixed", &entities_fixed,
                  {.doc = "entities_fixed(items) -> entity streamer over items", .show = true});
  gateway.publish("entities_iter", &entities_iter,
                  {.doc = "entities_iter(count) -> entity streamer over item(0..count-1)",
                   .show = true});
}

versile::Entity names_streamer(std::vector<std::string> sorted_names) {
  return vs::EntityStreamer::fixed(sorted_names).proxy();
}

}  // namespace vpstream::conformance
