// The byte streaming recipe (stream.md §11.2): a file streamer opened "r+" with both seek
// flags and a write buffer; the client writes a message at 0, seeks back and reads it.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include <unistd.h>

#include "io/connection.hpp"
#include "object/external.hpp"
#include "vse/stream/constants.hpp"
#include "vse/stream/file_data.hpp"
#include "vse/stream/stream.hpp"
#include "vse/stream/streamer.hpp"
#include "vse/stream/streamer_proxy.hpp"

namespace vs = versile::stream;

class FileService : public versile::External {
 public:
  explicit FileService(std::filesystem::path path) : path_(std::move(path)) {
    publish("get_file_stream", &FileService::get_file_stream);
  }
  versile::Entity get_file_stream() {
    std::ofstream(path_, std::ios::binary | std::ios::trunc).close();  // a new empty file
    using namespace vs::mode;
    const vs::Mode mode = start_bounded | end_bounded | readable | writable | seek_fwd | seek_rew |
                          end_can_dec | end_can_inc | can_move_end;  // 0x0fc7
    auto data = std::make_unique<vs::SimpleFileData>(path_, "r+", true, true);
    vs::StreamerConfig config;
    config.mode = mode;
    config.write_buffer = true;
    return vs::ByteStreamer::create(std::move(data), config).proxy();
  }

 private:
  std::filesystem::path path_;
};

int main() {
  const auto path = std::filesystem::temp_directory_path() /
                    ("vpstream_recipe_bytes_" + std::to_string(::getpid()) + ".bin");
  int status = 1;
  {
    auto [client, server] = versile::link_pair(nullptr, std::make_shared<FileService>(path));
    auto gw = client->peer_gw();
    auto streamer = gw.call("get_file_stream").as<vs::ByteStreamerProxy>();
    auto stream = streamer.connect({.readahead = true});
    stream.wait_status({.active = true});
    stream.wseek(0);
    stream.write(versile::Bytes(std::string_view("This is an important message")));
    stream.set_eos_policy(true);
    stream.enable_readahead();
    stream.rseek(0);
    auto data = stream.read();
    std::cout << "Read data from stream: " << data.as_bytes().view() << '\n';
    stream.close();
    stream.wait_status({.failed = true, .closed = true}, std::chrono::seconds(10));
    status = stream.closed() ? 0 : 1;
    client->shutdown();
    client->wait_closed();
  }
  std::filesystem::remove(path);
  return status;
}
