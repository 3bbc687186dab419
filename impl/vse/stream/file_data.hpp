// Built-in byte data over a file (stream.md §10.4). Exclusive use of the file is assumed.
// fmode as for opening a file ("r", "r+", "w", "w+", "a", "a+", optionally with 'b'); 't' is
// rejected. Readable iff the mode has 'r' or '+', writable iff 'w' or '+' (so plain "a" can back
// no streamer). The mode requirement (§10.4) makes every unavailable capability a
// required-clear bit and every available one optional.
#pragma once

#include <filesystem>
#include <string>

#include "vse/stream/streamer_data.hpp"

namespace versile::stream {

class SimpleFileData final : public StreamerData {
 public:
  // Throws std::invalid_argument for a text or malformed fmode, StreamError("File I/O error
  // during construction") when the file cannot be opened.
  SimpleFileData(const std::filesystem::path& path, std::string_view fmode, bool seek_rew = false,
                 bool seek_fwd = false);
  ~SimpleFileData() override;
  SimpleFileData(const SimpleFileData&) = delete;
  SimpleFileData& operator=(const SimpleFileData&) = delete;

  ElementKind kind() const noexcept override { return ElementKind::bytes; }
  Entity read(std::int64_t max_num) override;
  void write(const Entity& data) override;
  std::int64_t seek(std::int64_t pos, PosRef ref) override;
  void trunc_after() override;
  void close() override;
  std::int64_t pos() const override { return pos_; }
  Endpoints endpoints() const override { return {0, length_}; }
  RequiredMode req_mode() const override;
  Mode opt_mode() const override;

  bool readable() const noexcept { return readable_; }
  bool writable() const noexcept { return writable_; }

 private:
  void check_open() const;
  Mode capabilities() const noexcept;  // the capability bits this file offers

  int fd_ = -1;
  bool readable_ = false;
  bool writable_ = false;
  bool append_ = false;
  bool seek_rew_ = false;
  bool seek_fwd_ = false;
  std::int64_t pos_ = 0;
  std::int64_t length_ = 0;
};

}  // namespace versile::stream
