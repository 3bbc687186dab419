// A gateway handing out streamers for end-to-end tests of the stream peer over link_pair.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "object/external.hpp"
#include "pattern_data.hpp"
#include "vse/stream/file_data.hpp"
#include "vse/stream/fixed_data.hpp"
#include "vse/stream/streamer.hpp"

namespace versile::stream::testing {

class StreamGateway : public External {
 public:
  StreamGateway() {
    publish("bytes", [](std::string data, bool seek) {
      return ByteStreamer::fixed(Bytes(std::string_view(data)), seek, seek).proxy();
    });
    publish("count", [](std::int64_t n) {
      std::vector<Entity> items;
      for (std::int64_t k = 0; k < n; ++k) items.emplace_back(k);
      return EntityStreamer::fixed(Tuple(std::move(items))).proxy();
    });
    publish("pattern", [](std::int64_t length, std::int64_t pkg) {
      StreamerConfig config;
      config.mode = 0x1045;
      config.r_size = pkg;
      return ByteStreamer::create(std::make_unique<PatternBytesData>(length, pkg), config).proxy();
    });
    publish("sink", [](std::int64_t pkg) {
      StreamerConfig config;
      config.mode = kSinkMode;
      config.write_buffer = true;
      config.w_size = pkg;
      config.w_lim = 10 * pkg;
      return ByteStreamer::create(std::make_unique<CountingSink>(), config).proxy();
    });
    publish("file", [](std::string path, std::int64_t w_pkg, std::int64_t max_calls) {
      using namespace mode;
      StreamerConfig config;
      config.mode = start_bounded | end_bounded | readable | writable | seek_fwd | seek_rew |
                    end_can_dec | end_can_inc | can_move_end;
      config.write_buffer = true;
      config.w_pkg = w_pkg;
      config.max_calls = max_calls;
      return ByteStreamer::create(std::make_unique<SimpleFileData>(path, "r+", true, true), config)
          .proxy();
    });
  }
};

}  // namespace versile::stream::testing
