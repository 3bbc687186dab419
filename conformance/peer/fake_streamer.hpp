// The harness's fake streamer (stream.md §5): a published object with the streamer methods
// (peer_connect, peer_read_start, peer_read_lim, peer_write_start, peer_write_push,
// peer_trunc_before, peer_trunc_after, peer_close, peer_fail) that records every call the stream
// peer under test makes and answers it with null — peer_connect with a scripted result, held
// until the driver answers it when no result is set. The driver speaks the streamer side of
// the protocol through it (peer_set_start_pos, peer_read_push, peer_write_lim, peer_closed,
// peer_fail, peer_error) with exact message ids and contexts, right or wrong.
// It is handed to the peer as the streamer proxy entity {"tagged": S, "tags": [21, 2, 1|2, mode]}
// built here from §2.1 (not with the implementation's own encoder).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "object/external.hpp"
#include "object/proxy.hpp"

namespace vpstream::conformance {

class FakeStreamer : public versile::External {
 public:
  struct Call {
    std::string method;
    versile::Tuple args;  // after the method name
  };
  enum class Kind { bytes = 1, entities = 2 };  // the streamer type arc of the tag

  FakeStreamer();

  // The streamer proxy entity for this object: tags [21, 2, kind, mode].
  versile::Entity tag(Kind kind, std::int64_t mode);

  // The answer to peer_connect: [mode, pos, call_lim, w_num, w_size]. Until one is set a
  // peer_connect is held; setting it answers a held one.
  void answer_connect(versile::Entity result);
  static versile::Entity connect_result(std::int64_t mode, std::int64_t pos = 0, std::int64_t call_lim = 15,
                                        std::int64_t w_num = 10, std::int64_t w_size = 1000000);

  // The stream peer reference received in peer_connect (an invalid proxy before that).
  versile::Proxy peer() const;
  // Waits for peer_connect; false on timeout.
  bool wait_connected(std::chrono::milliseconds timeout) const;

  // Issues the next sequenced streamer→peer call: `method(next_id, args...)`.
  template <class... A>
  std::future<versile::Entity> seq(const std::string& method, A&&... args) {
    const std::int64_t id = take_id();
    return peer().call_async(method, versile::Entity(id), std::forward<A>(args)...);
  }
  std::int64_t next_id() const;

  std::vector<Call> calls() const;
  std::vector<Call> calls(const std::string& method) const;
  // The sequenced calls of the peer (every call but peer_connect), in msg_id order, rendered
  // like `peer_read_start(0, null, null, true)`.
  std::vector<std::string> sequenced() const;
  // Waits until `pred(calls)` holds; false on timeout.
  bool wait_for(const std::function<bool(const std::vector<Call>&)>& pred, std::chrono::milliseconds timeout) const;
  bool wait_count(const std::string& method, std::size_t n, std::chrono::milliseconds timeout) const;
  // Waits until the peer made `n` sequenced calls; false on timeout.
  bool wait_sequenced(std::size_t n, std::chrono::milliseconds timeout) const;

  // `method(a, b, …)` with entities rendered compactly: 5, null, true, b'ab', "s", [a, b], <ref>.
  static std::string render(const std::string& method, const versile::Tuple& args);
  static std::string render(const versile::Entity& e);

 private:
  void record(const std::string& method, versile::DeferredCall& call);
  std::int64_t take_id();

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<Call> calls_;
  std::optional<versile::Entity> connect_result_;
  std::vector<versile::link::Responder> held_connects_;
  versile::Proxy peer_;
  std::int64_t next_id_ = 0;
};

}  // namespace vpstream::conformance
