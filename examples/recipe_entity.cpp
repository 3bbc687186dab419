// The entity streaming recipe (stream.md §11.1, ARCHITECTURE.md "API shape"): a name sorter
// hands out its sorted names as an entity stream; the client iterates it with read-ahead.
#include <algorithm>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

#include "io/connection.hpp"
#include "object/external.hpp"
#include "vse/stream/stream.hpp"
#include "vse/stream/streamer.hpp"
#include "vse/stream/streamer_proxy.hpp"

class NameSorter : public versile::External {
 public:
  NameSorter() { publish("add", &NameSorter::add); publish("reset", &NameSorter::reset); }
  void add(std::string name) { std::scoped_lock l{m_}; names_.push_back(std::move(name)); }
  versile::Entity reset() {
    std::vector<std::string> names;
    { std::scoped_lock l{m_}; names.swap(names_); }
    std::ranges::sort(names);
    return versile::stream::EntityStreamer::fixed(names).proxy();
  }
 private:
  std::mutex m_; std::vector<std::string> names_;
};

int main() {
  auto [client, server] = versile::link_pair(nullptr, std::make_shared<NameSorter>());
  auto service = client->peer_gw();
  for (int i : {5, 3, 4, 1, 2}) service.call("add", "John Doe #" + std::to_string(i));
  auto streamer = service.call("reset").as<versile::stream::EntityStreamerProxy>();
  auto stream = streamer.connect({.readahead = true});
  stream.set_eos_policy(true);
  stream.wait_status({.active = true});
  for (const auto& item : stream.iterator()) std::cout << item << '\n';
  // The iterator closed the stream; wait for the streamer's acknowledgement before leaving.
  stream.wait_status({.failed = true, .closed = true}, std::chrono::seconds(10));
  client->shutdown();
  client->wait_closed();
  return stream.closed() ? 0 : 1;
}
