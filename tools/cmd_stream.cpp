// `vpstream stream get URL METHOD [VEJ-ARG...]` and `vpstream stream put URL METHOD [VEJ-ARG...]`:
// call a gateway method that returns a streamer proxy (or a tuple whose first element is one,
// e.g. [proxy, token]), connect a stream peer and copy the stream.
//
// Contract:
//   get: a byte stream is written raw to stdout; an entity stream as one VEJ line per element.
//        Exit 0 at end of stream.
//   put: stdin is written into a (writable) byte stream, then the stream is closed; exit 0 once
//        the streamer acknowledged the close.
//   Long transfers print a progress line on stderr ("<bytes> bytes, <rate> MiB/s"), unless
//   --quiet. Stream or call failures: "vpstream stream: <reason>" on stderr, exit 1. Usage
//   errors (bad URL, an argument that is not VEJ, not a streamer): exit 2.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "command_registry.hpp"
#include "entity/vej.hpp"
#include "io/vop.hpp"
#include "link/peer_object.hpp"
#include "object/call_error.hpp"
#include "object/remote_exception.hpp"
#include "vse/stream/stream.hpp"
#include "vse/stream/streamer_proxy.hpp"

namespace vpstream::tools {
namespace {

namespace vs = versile::stream;
using Clock = std::chrono::steady_clock;

struct StreamOptions {
  std::string url;
  std::string method;
  std::vector<std::string> args;
  double timeout_seconds = 30;
  bool quiet = false;
};

// Reports progress at most once a second, starting after the first second.
class Progress {
 public:
  explicit Progress(bool quiet) : quiet_(quiet) {}
  void add(std::size_t n) {
    total_ += n;
    if (quiet_) return;
    const auto now = Clock::now();
    if (now - last_ >= std::chrono::seconds(1)) {
      last_ = now;
      print('\r');
      shown_ = true;
    }
  }
  void finish() {
    if (shown_) print('\n');
  }

 private:
  void print(char end) {
    const double s = std::chrono::duration<double>(Clock::now() - start_).count();
    std::fprintf(stderr, "\r%llu bytes, %.1f MiB/s%s", static_cast<unsigned long long>(total_),
                 s > 0 ? static_cast<double>(total_) / (1 << 20) / s : 0.0,
                 end == '\n' ? "\n" : "");
    std::fflush(stderr);
  }
  bool quiet_;
  std::uint64_t total_ = 0;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_ = Clock::now();
  bool shown_ = false;
};

nlohmann::json element_vej(const versile::Entity& value) {
  return versile::to_vej(value, [](const versile::ObjectRef& ref) -> std::optional<versile::VejRef> {
    if (auto peer = ref.as<versile::link::PeerObject>()) {
      return versile::VejRef{versile::ObjectRef::Owner::sender, versile::Integer(peer->id())};
    }
    return std::nullopt;
  });
}

// The streamer proxy in a method result (the result itself or the first tuple element).
std::optional<vs::Stream> connect_result(const versile::Entity& result, bool readahead) {
  versile::Entity candidate = result;
  if (const auto* t = result.get_if<versile::Tuple>(); t && !t->empty()) candidate = (*t)[0];
  if (auto p = vs::to_byte_streamer_proxy(candidate)) return p->connect({.readahead = readahead});
  if (auto p = vs::to_entity_streamer_proxy(candidate)) return p->connect({.readahead = readahead});
  return std::nullopt;
}

int run(const StreamOptions& options, bool put) {
  if (!versile::VopUrl::parse(options.url)) {
    std::cerr << "vpstream: not a vop://HOST[:PORT]/ URL: " << options.url << "\n";
    return 2;
  }
  std::vector<versile::Entity> args{versile::Entity(options.method)};
  for (const auto& text : options.args) {
    try {
      args.push_back(versile::parse_vej(text));
    } catch (const versile::VejError& e) {
      std::cerr << "vpstream stream: argument is not VEJ (" << versile::vej_errc_name(e.category())
                << "): " << text << "\n";
      return 2;
    }
  }
  const auto timeout = std::chrono::milliseconds(static_cast<long long>(options.timeout_seconds * 1000));
  std::shared_ptr<versile::Connection> conn;
  try {
    versile::VopConnectOptions connect;
    connect.timeout = timeout;
    conn = versile::vop_connect(options.url, nullptr, connect);
  } catch (const std::system_error& e) {
    std::cerr << "vpstream: cannot connect to " << options.url << ": " << e.code().message() << "\n";
    return 1;
  }
  int status = 1;
  try {
    auto gateway = conn->peer_gw(timeout);
    const auto result =
        gateway.invoke(versile::Tuple(std::move(args)), versile::link::CallMode::normal, timeout);
    auto stream = connect_result(result, !put);
    if (!stream) {
      std::cerr << "vpstream stream: the result is not a streamer proxy: "
                << element_vej(result).dump() << "\n";
      status = 2;
    } else if (!stream->wait_status({.active = true, .failed = true}, timeout) || stream->failed()) {
      std::cerr << "vpstream stream: could not connect the stream\n";
    } else if (put) {
      if (stream->kind() != vs::ElementKind::bytes) {
        std::cerr << "vpstream stream put: not a byte stream\n";
        status = 2;
      } else {
        Progress progress(options.quiet);
        std::vector<std::uint8_t> buf(1 << 20);
        for (;;) {
          const std::size_t n = std::fread(buf.data(), 1, buf.size(), stdin);
          if (n == 0) break;
          stream->write(versile::Bytes(std::span<const std::uint8_t>(buf.data(), n)));
          progress.add(n);
        }
        stream->close();
        stream->wait_status({.failed = true, .closed = true});
        progress.finish();
        status = stream->closed() ? 0 : 1;
        if (status) std::cerr << "vpstream stream: the stream failed\n";
      }
    } else {
      Progress progress(options.quiet);
      const bool bytes = stream->kind() == vs::ElementKind::bytes;
      for (;;) {
        versile::Entity data = stream->recv(bytes ? (1u << 20) : 1000u);
        if (bytes) {
          const auto& b = data.as_bytes();
          if (b.empty()) break;
          std::fwrite(b.data(), 1, b.size(), stdout);
          progress.add(b.size());
        } else {
          const auto& t = data.as_tuple();
          if (t.empty()) break;
          for (const auto& e : t) std::cout << element_vej(e).dump() << '\n';
          progress.add(t.size());
        }
      }
      std::cout.flush();
      std::fflush(stdout);
      progress.finish();
      stream->close();
      stream->wait_status({.failed = true, .closed = true}, timeout);
      status = 0;
    }
  } catch (const versile::RemoteException& e) {
    std::cerr << "vpstream stream: remote exception " << element_vej(e.value()).dump() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "vpstream stream: " << e.what() << "\n";
  }
  conn->shutdown();
  conn->wait_closed(std::chrono::seconds(5));
  return status;
}

const RegisterCommand kRegisterStream([](CLI::App& app, int& exit_code) {
  auto* stream = app.add_subcommand("stream", "Copy a VSE stream from or to a VOP server");
  stream->require_subcommand(1);
  for (const bool put : {false, true}) {
    auto options = std::make_shared<StreamOptions>();
    auto* sub = stream->add_subcommand(
        put ? "put" : "get",
        put ? "Write stdin into the byte stream a method returns"
            : "Write the stream a method returns to stdout (bytes raw, entities as VEJ lines)");
    sub->add_option("url", options->url, "vop://HOST:PORT/")->required();
    sub->add_option("method", options->method, "method returning a streamer proxy")->required();
    sub->allow_extras();  // VEJ arguments verbatim (CLI11 would split "[a,b]")
    sub->add_option("--timeout", options->timeout_seconds, "seconds for connect and call")
        ->capture_default_str();
    sub->add_flag("--quiet", options->quiet, "no progress line on stderr");
    sub->callback([options, sub, put, &exit_code] {
      options->args = sub->remaining();
      exit_code = run(*options, put);
    });
  }
});

}  // namespace
}  // namespace vpstream::tools
