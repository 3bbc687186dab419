// Options of connecting to a streamer (stream.md §9.1): `proxy.connect(...)`. Unset sizes take
// the defaults of the stream's element kind (§3.4).
#pragma once

#include <cstdint>
#include <optional>

namespace versile::stream {

struct ConnectOptions {
  bool eos_policy = true;   // copied into every new read context (§9.2)
  bool readahead = false;   // enable read-ahead (§8.1)
  std::optional<std::int64_t> r_pkg{};   // max outstanding read pushes (default 10)
  std::optional<std::int64_t> r_size{};  // max elements per read push (byte 10^6, entity 1000)
  std::int64_t max_calls = 5;          // extra outstanding calls besides push packages
  std::optional<std::int64_t> w_pkg{};   // local cap on outstanding write pushes
  std::optional<std::int64_t> w_size{};  // local cap on elements per write push
};

}  // namespace versile::stream
