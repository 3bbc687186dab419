// Server-role drivers about streamer setup: connect limits, modes, write limits and seeks
// (stream.md §12.2 C05 C11 C12 C13 C19 C23 C24 C26–C30 C78 C79).
//
// The streamer under test lives across the link from the harness. Where the conformance gateway
// can serve the streamer (bytes_fixed, bytes_file, entities_fixed) the driver uses it, so the
// scenario also runs against an external peer. Streamers the gateway cannot build (local caps,
// one seek direction, a non-growable file, lock flags, a chosen write-ahead) are built by the
// harness and served in loopback only. Mode validation of the local constructor (C23, C24, C79)
// is a local API check: a rejected mode never reaches the wire; the accepted ones are served
// and their mode is checked in the proxy tag and the connect result.
#include "scenarios/stream_drivers.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>

#include "gateway/conformance_gateway.hpp"
#include "scenarios/stream_driver_kit.hpp"
#include "vse/stream/file_data.hpp"
#include "vse/stream/fixed_data.hpp"
#include "vse/stream/streamer.hpp"

namespace vpstream::conformance {

using namespace stream_kit;

namespace {

namespace vm = vs::mode;

// ---------------- harness-built streamers (loopback only) ----------------

// A temporary file backing a harness-built file streamer; removed with its last owner.
class HarnessFile {
 public:
  explicit HarnessFile(std::string_view contents) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "vpstream-conform-XXXXXX").string();
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0) throw std::runtime_error("cannot create a temporary file");
    ::close(fd);
    path_ = tmpl;
    std::ofstream(path_, std::ios::binary | std::ios::trunc) << contents;
  }
  ~HarnessFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  HarnessFile(const HarnessFile&) = delete;
  HarnessFile& operator=(const HarnessFile&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }
  std::string contents() const {
    std::ifstream in(path_, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }

 private:
  std::filesystem::path path_;
};

// One new file (same initial contents) per harness-built streamer, so a scenario can drive
// two streamers (fake peer, then vpstream's peer) over equal files and check each.
class HarnessFiles {
 public:
  explicit HarnessFiles(std::string initial) : initial_(std::move(initial)) {}
  const HarnessFile& add() {
    std::scoped_lock l{mu_};
    files_.push_back(std::make_shared<HarnessFile>(initial_));
    return *files_.back();
  }
  std::string contents(std::size_t i) const {
    std::scoped_lock l{mu_};
    return i < files_.size() ? files_[i]->contents() : std::string("<no file>");
  }

 private:
  std::string initial_;
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<HarnessFile>> files_;
};

// A byte file streamer over `file` opened with `fmode`: mode = the data's required bits | extra.
Entity file_streamer(const HarnessFile& file, const char* fmode, vs::Mode extra, vs::StreamerConfig config = {},
                     bool seek_rew = true, bool seek_fwd = true) {
  auto data = std::make_unique<vs::SimpleFileData>(file.path(), fmode, seek_rew, seek_fwd);
  config.mode = data->req_mode().bits | extra;
  config.write_buffer = (config.mode & vm::writable) != 0;
  return vs::ByteStreamer::create(std::move(data), config).proxy();
}

// The capabilities of the gateway's bytes_file streamer without END_CAN_INC|CAN_MOVE_END: the
// file cannot grow, so write limits stop at its end (§8.3).
constexpr vs::Mode non_growable_rw = vm::readable | vm::writable | vm::seek_rew | vm::seek_fwd;
// The gateway's bytes_file capabilities (stream.md §11.2: 0x0FC7 with the data's bits).
constexpr vs::Mode growable_rw = non_growable_rw | vm::end_can_dec | vm::end_can_inc | vm::can_move_end;

// Fixed bytes whose data accepts every mode bit, so the streamer constructor's only mode check
// left is validate() (§3.1) — C23 observes that rule alone.
class AnyModeBytes final : public vs::StreamerData {
 public:
  explicit AnyModeBytes(versile::Bytes b) : inner_(std::move(b)) {}
  vs::ElementKind kind() const noexcept override { return vs::ElementKind::bytes; }
  Entity read(std::int64_t n) override { return inner_.read(n); }
  std::int64_t seek(std::int64_t p, vs::PosRef r) override { return inner_.seek(p, r); }
  void close() override { inner_.close(); }
  std::int64_t pos() const override { return inner_.pos(); }
  vs::Endpoints endpoints() const override { return inner_.endpoints(); }
  vs::RequiredMode req_mode() const override { return {0, 0}; }
  vs::Mode opt_mode() const override { return ~vs::Mode{0}; }

 private:
  vs::FixedBytesData inner_;
};

// A session whose server gateway is the conformance gateway plus `harness_streamer()`; take its
// streamers with raw_from().
Raw open_harness_base(ScenarioContext& ctx, std::function<Entity()> make) {
  return open_harness_session(ctx, make_gateway(), std::move(make));
}

// The standard session (conformance gateway only); works against an external peer too.
Raw open_base(ScenarioContext& ctx) {
  Raw r;
  r.session = Session::open(ctx);
  end_peer_waits_with_link(r);
  r.wait = ctx.scaled(5000ms);
  r.gw = r.session->gateway();
  return r;
}

// A new streamer from `base`'s gateway on the same session (one recorded trace per scenario),
// driven by its own fake peer. Must not outlive `base`.
template <class... A>
Raw raw_from(Raw& base, const char* method, A&&... args) {
  if (base.session) base.session->step(method);
  Raw r;
  r.wait = base.wait;
  r.gw = base.gw;
  // Waits on this fake peer end soon after the link closes, as in open_raw (the cut rule).
  base.session->client()->link()->add_close_listener([peer = r.peer](std::error_code) { peer->link_closed(); });
  Entity got = r.gw.call(method, std::forward<A>(args)...);
  adopt_streamer(r, std::move(got));
  return r;
}

// ---------------- checks ----------------

Entity S(std::string_view s) { return Entity(std::string(s)); }
Entity B(std::string_view s) { return Entity(versile::Bytes(s)); }

std::string describe(const FakeStreamPeer::Call& c) {
  std::string out = c.method + "(";
  for (std::size_t i = 0; i < c.args.size(); ++i) {
    if (i) out += ", ";
    const Entity& a = c.args[i];
    if (const auto* n = a.get_if<versile::Integer>()) out += n->to_decimal();
    else if (a.is<versile::Bytes>()) out += "b'" + str_of(a.as_bytes()) + "'";
    else if (a.is<versile::String>()) out += "'" + a.as_string() + "'";
    else if (a.is_none()) out += "null";
    else if (a.is<bool>()) out += a.get<bool>() ? "true" : "false";
    else out += "…";
  }
  return out + ")";
}

// The n-th recorded call of `method` (in arrival order) has exactly `args`.
void check_call(const Raw& r, const std::string& method, std::size_t n, const Tuple& args, const std::string& what) {
  if (!r.peer->wait_count(method, n + 1, r.wait)) {
    std::string seen;
    for (const auto& c : r.peer->calls()) seen += " " + describe(c);
    require_arrived(false, what + ": no " + method + " #" + std::to_string(n + 1) + " (received:" + seen + ")");
  }
  const auto c = r.peer->calls(method)[n];
  require(c.args == args, what + ": got " + describe(c));
}

// No further call of `method` beyond the `n` recorded ones within a short quiet period.
bool quiet(const Raw& r, const std::string& method, std::size_t n) {
  return !r.peer->wait_count(method, n + 1, std::chrono::milliseconds(200));
}

// The streamer fails the stream: exactly one peer_fail(msg_id, text) (stream.md §5) and the
// observation stream_failure.
Observation expect_peer_fail(const Raw& r, std::int64_t msg_id, std::string_view text, const std::string& what) {
  check_call(r, "peer_fail", 0, Tuple{I(msg_id), S(text)}, what);
  require(quiet(r, "peer_fail", 1), what + ": more than one peer_fail");
  return Observation::failed(ErrorCategory::stream_failure, what + ": peer_fail(" + std::to_string(msg_id) + ", '" +
                                                                std::string(text) + "')");
}

// The connect result [mode, pos, call_lim, w_num, w_size] (§5.1).
void check_connect(const Entity& result, const Tuple& want, const std::string& what) {
  require(result.is<Tuple>() && result.as_tuple() == want, what + ": connect result differs");
}

// The proxy tag of a byte streamer with `mode` (§2.1: tags [21, 2, 1, mode]).
void check_byte_tag(const Entity& tag, std::int64_t mode, const std::string& what) {
  const auto* t = tag.get_if<versile::Tagged>();
  require(t != nullptr, what + ": the streamer is not a tagged entity");
  const auto tags = t->tags();
  require(tags.size() == 4 && tags[0] == I(21) && tags[1] == I(2) && tags[2] == I(1) && tags[3] == I(mode),
          what + ": proxy tags are not [21, 2, 1, " + std::to_string(mode) + "]");
}

// Constructing a streamer locally: a rejection is a StreamError with a typed code (what() is
// the reference's text where the reference has one, compared by the caller).
struct Construction {
  bool rejected = false;
  std::error_code code;
  std::string message;
};
Construction construct(const std::function<void()>& make) {
  try {
    make();
    return {};
  } catch (const vs::StreamError& e) {
    return {true, e.code(), e.what()};
  }
}
std::string code_name(const std::error_code& code) {
  return code ? vs::errc_name(static_cast<vs::StreamErrc>(code.value())) : "no code";
}

constexpr const char* kMismatch = "Mismatch with required streamer data mode.";

}  // namespace

void add_streamer_setup_drivers(StreamDriverMap& d) {
  // C05: local caps r_pkg 2 / r_size 3 bound the peer's offer (5, 3, 4); the connect result
  // reports the streamer's own window [mode, 0, w_pkg + max_calls, w_pkg, w_size] unchanged.
  d["STREAM-C05"] = {[](ScenarioContext& ctx) {
    const auto data = pat(25, 11);
    vs::StreamerConfig cfg;
    cfg.r_pkg = 2;
    cfg.r_size = 3;
    cfg.w_pkg = 7;
    cfg.max_calls = 4;
    auto r = open_raw_harness(ctx, [data, cfg] { return vs::ByteStreamer::fixed(data, false, false, cfg).proxy(); });
    r.peer->hold_push_results(true);
    check_connect(r.connect(5, 3, 4), Tuple{I(0x1045), I(0), I(11), I(7), I(1000000)}, "connect (5, 3, 4)");
    r.call("peer_read_start", I(0), kNull, kNull, Entity(true));
    r.call("peer_read_lim", I(1), I(100));
    check_call(r, "peer_set_start_pos", 0, Tuple{I(0), I(0), I(0)}, "start");
    // 25 bytes in packages of at most 3: 8 full ones, then 1 byte (short read → eos), never
    // more than 2 without a result.
    std::size_t seen = 0;
    for (std::size_t round = 0; seen < 9; ++round) {
      require(round < 9, "pushes did not reach the end");
      const std::size_t expect = std::min<std::size_t>(2, 9 - seen);
      require_arrived(r.wait_pushes(seen + expect), "fewer pushes than free slots after round " + std::to_string(round));
      require(r.quiet_after(seen + expect), "more than r_num = 2 pushes outstanding (local cap ignored)");
      seen += expect;
      require(r.peer->held() == expect, "outstanding pushes differ from the pushes seen");
      r.peer->release_held();
    }
    const auto p = r.pushes();
    for (std::size_t i = 0; i < 9; ++i) {
      const std::size_t n = std::min<std::size_t>(3, 25 - 3 * i);
      require(p[i].args[0] == I(static_cast<std::int64_t>(i + 1)), "push " + std::to_string(i + 1) + " msg_id");
      check_push(p[i], 0, Entity(slice(data, 3 * i, n)), i == 8, "push " + std::to_string(i + 1) + " (r_size capped to 3)");
    }
    return Observation::ok();
  }};

  // C11: w_lim 20 (step 10): the write start grants 20; 4 and 8 elements leave it; 10 → 30; 12 → 30.
  d["STREAM-C11"] = {[](ScenarioContext& ctx) {
    auto file = std::make_shared<HarnessFile>("");
    vs::StreamerConfig cfg;
    cfg.w_lim = 20;
    auto r = open_raw_harness(ctx, [file, cfg] { return file_streamer(*file, "r+b", growable_rw, cfg); });
    r.connect(15, 10, 100);
    r.call("peer_write_start", I(0), I(0), I(1));
    check_call(r, "peer_set_start_pos", 0, Tuple{I(0), I(0), I(0)}, "write start");
    check_call(r, "peer_write_lim", 0, Tuple{I(1), I(0), I(20)}, "first write limit");
    r.call("peer_write_push", I(1), I(0), B("0123"));
    r.call("peer_write_push", I(2), I(0), B("4567"));
    require(quiet(r, "peer_write_lim", 1), "a new write limit after 8 elements (20 − 8 mod 10 = 20 is not larger)");
    r.call("peer_write_push", I(3), I(0), B("89"));
    check_call(r, "peer_write_lim", 1, Tuple{I(2), I(0), I(30)}, "write limit after 10 elements");
    r.call("peer_write_push", I(4), I(0), B("ab"));
    require(quiet(r, "peer_write_lim", 2), "a new write limit after 12 elements");
    require(r.peer->calls("peer_fail").empty(), "the streamer failed");
    r.call("peer_close", I(5));
    require_arrived(r.peer->wait_count("peer_closed", 1, r.wait), "no peer_closed");
    require(file->contents() == "0123456789ab", "the file does not hold the written bytes");
    return Observation::ok();
  }};

  // C12: a 10-byte file that cannot grow; a write start at 7 → write limit 3 (capped at the end,
  // §8.3) and no further grant after 3 bytes. Fake peer first (exact calls), then vpstream's
  // peer: wseek(7); send(6 bytes) → 3; the next send times out.
  d["STREAM-C12"] = {[](ScenarioContext& ctx) {
    auto files = std::make_shared<HarnessFiles>("0123456789");
    auto base = open_harness_base(ctx, [files] { return file_streamer(files->add(), "r+b", non_growable_rw); });
    {
      auto r = raw_from(base, "harness_streamer");
      r.connect(15, 10, 100);
      r.call("peer_write_start", I(0), I(7), I(1));
      check_call(r, "peer_set_start_pos", 0, Tuple{I(0), I(0), I(7)}, "write start at 7");
      check_call(r, "peer_write_lim", 0, Tuple{I(1), I(0), I(3)}, "write limit capped at the end");
      r.call("peer_write_push", I(1), I(0), B("ABC"));
      require(quiet(r, "peer_write_lim", 1), "a write limit past the end of a non-growable file");
      r.call("peer_close", I(2));
      require_arrived(r.peer->wait_count("peer_closed", 1, r.wait), "no peer_closed");
      require(files->contents(0) == "0123456ABC", "the file is '" + files->contents(0) + "', not 0123456ABC");
    }
    auto stream = base.gw.call("harness_streamer").as<vs::ByteStreamerProxy>().connect();
    base.session->step("wseek(7)");
    stream.wseek(7, vs::PosRef::abs, to(base.wait));
    base.session->step("send(6 bytes)");
    const auto sent = stream.send(B("ABCDEF"), to(base.wait));
    require(sent == 3, "send(6 bytes) transferred " + std::to_string(sent) + ", not 3");
    base.session->step("send(timeout)");
    const auto next = outcome_of([&] { stream.send(B("DEF"), to(ctx.scaled(300ms))); });
    stream.close();
    require_arrived(stream.wait_status({.closed = true}, to(base.wait)), "the stream did not close");
    require(files->contents(1) == "0123456ABC", "the file is '" + files->contents(1) + "', not 0123456ABC");
    return Observation::failed(next, "send past the end of a non-growable file");
  }};

  // C13: w_size 4 and a standing limit of 6 (a 6-byte file that cannot grow, so the limit never
  // rises): the connect result offers w_size 4; pushes of 4 and 2 get no new limit. vpstream's
  // peer: send("hello world") → 4 (hell), the next send → 2 ("o "), then send waits.
  d["STREAM-C13"] = {[](ScenarioContext& ctx) {
    auto files = std::make_shared<HarnessFiles>("------");
    vs::StreamerConfig cfg;
    cfg.w_size = 4;
    auto base = open_harness_base(ctx, [files, cfg] { return file_streamer(files->add(), "r+b", non_growable_rw, cfg); });
    {
      auto r = raw_from(base, "harness_streamer");
      check_connect(r.connect(15, 10, 100), Tuple{I(static_cast<std::int64_t>(0x44 | non_growable_rw)), I(0), I(15), I(10), I(4)},
                    "w_size 4");
      r.call("peer_write_start", I(0), I(0), I(1));
      check_call(r, "peer_write_lim", 0, Tuple{I(1), I(0), I(6)}, "write limit 6");
      r.call("peer_write_push", I(1), I(0), B("hell"));
      r.call("peer_write_push", I(2), I(0), B("o "));
      require(quiet(r, "peer_write_lim", 1), "a new write limit beyond 6");
      r.call("peer_close", I(3));
      require_arrived(r.peer->wait_count("peer_closed", 1, r.wait), "no peer_closed");
      require(files->contents(0) == "hello ", "the file is '" + files->contents(0) + "', not 'hello '");
    }
    auto stream = base.gw.call("harness_streamer").as<vs::ByteStreamerProxy>().connect();
    stream.wseek(0, vs::PosRef::abs, to(base.wait));
    base.session->step("send(\"hello world\")");
    const auto first = stream.send(B("hello world"), to(base.wait));
    require(first == 4, "first send transferred " + std::to_string(first) + ", not w_size 4");
    const auto second = stream.send(B("o world"), to(base.wait));
    require(second == 2, "second send transferred " + std::to_string(second) + ", not 2 (limit 6)");
    base.session->step("send waits");
    const auto third = outcome_of([&] { stream.send(B("world"), to(ctx.scaled(300ms))); });
    require(third != ErrorCategory::success, "send past the limit of 6 did not wait");
    if (third != ErrorCategory::stream_timeout) return Observation::failed(third, "send past the limit ended early");
    stream.close();
    require_arrived(stream.wait_status({.closed = true}, to(base.wait)), "the stream did not close");
    require(files->contents(1) == "hello ", "the file is '" + files->contents(1) + "', not 'hello '");
    return Observation::ok();
  }};

  // C19: wseek(4), write(ab), trunc_after(), write(cd) → 0123abcd; the truncation re-labels the
  // context (ctx := its msg_id) and the streamer grants a limit for the new ctx; a push with the
  // old ctx processed afterwards is discarded (§5.7, §7.5, §12.1 #8).
  d["STREAM-C19"] = {[](ScenarioContext& ctx) {
    auto base = open_base(ctx);
    auto r = raw_from(base, "bytes_file", Entity(versile::Bytes(std::string_view("0123456789"))));
    r.connect(15, 10, 100);
    r.call("peer_write_start", I(0), I(4), I(1));
    check_call(r, "peer_set_start_pos", 0, Tuple{I(0), I(0), I(4)}, "write start at 4");
    check_call(r, "peer_write_lim", 0, Tuple{I(1), I(0), I(10000000)}, "first write limit");
    r.call("peer_write_push", I(1), I(0), B("ab"));
    require(r.call("peer_trunc_after", I(2)).is_none(), "trunc_after result is not null");
    check_call(r, "peer_write_lim", 1, Tuple{I(2), I(2), I(10000000)}, "write limit for the truncation's ctx 2");
    r.call("peer_write_push", I(3), I(0), B("zz"));  // old ctx: discarded
    r.call("peer_write_push", I(4), I(2), B("cd"));
    r.call("peer_close", I(5));
    require_arrived(r.peer->wait_count("peer_closed", 1, r.wait), "no peer_closed");
    require(r.peer->calls("peer_fail").empty(), "the streamer failed");
    require(quiet(r, "peer_write_lim", 2), "an unexpected write limit");
    const auto contents = base.gw.call("file_contents", r.token).as_bytes();
    require(contents == versile::Bytes(std::string_view("0123abcd")), "file is '" + str_of(contents) + "', not 0123abcd");
    return Observation::ok();
  }};

  // C23: validate() (§3.1). Over data that allows every bit, the constructor's only mode check is
  // validate: the invalid modes are rejected locally (nothing reaches the wire); the valid ones
  // are served and travel unchanged in the proxy tag and the connect result (0x10001: unknown
  // bits are not rejected).
  d["STREAM-C23"] = {[](ScenarioContext& ctx) {
    const std::vector<vs::Mode> valid{vm::readable | vm::can_move_start | vm::start_can_inc,
                                      vm::writable | vm::can_move_end | vm::end_can_dec, 0x10001};
    auto next = std::make_shared<std::size_t>(0);
    auto make_mode = [](vs::Mode m) {
      vs::StreamerConfig cfg;
      cfg.mode = m;
      cfg.write_buffer = true;
      return vs::ByteStreamer::create(std::make_unique<AnyModeBytes>(pat(5, 1)), cfg);
    };
    auto base = open_harness_base(ctx, [=] { return make_mode(valid.at((*next)++)).proxy(); });
    for (vs::Mode m : {vs::Mode{0}, vm::writable | vm::fixed_data, vm::readable | vm::can_move_start,
                       vm::readable | vm::can_move_end}) {
      const auto c = construct([&] { make_mode(m); });
      require(c.rejected, "invalid mode " + std::to_string(m) + " accepted by the streamer constructor");
      require(c.code == vs::StreamErrc::invalid_streamer_mode,
              "invalid mode " + std::to_string(m) + " rejected as " + code_name(c.code) + ": " + c.message);
    }
    for (vs::Mode m : valid) {
      const auto mode = static_cast<std::int64_t>(m);
      auto r = raw_from(base, "harness_streamer");
      check_byte_tag(r.tag, mode, "valid mode " + std::to_string(m));
      check_connect(r.connect(15, 10, 100), Tuple{I(mode), I(0), I(15), I(10), I(1000000)},
                    "valid mode " + std::to_string(m));
    }
    return Observation::failed(ErrorCategory::mode_error, "invalid modes rejected, valid modes served");
  }};

  // C24: constructor checks against fixed-byte data (req (0x1045, 0xF3FF), opt 0x0C00).
  d["STREAM-C24"] = {[](ScenarioContext& ctx) {
    const std::vector<vs::Mode> ok{0x1045, 0x1445};
    auto next = std::make_shared<std::size_t>(0);
    auto make_fixed = [](vs::Mode m) {
      vs::StreamerConfig cfg;
      cfg.mode = m;
      return vs::ByteStreamer::create(std::make_unique<vs::FixedBytesData>(pat(5, 2)), cfg);
    };
    if (ctx.target().kind != Target::Kind::loopback)
      return Observation::missing("harness-built streamers (loopback only: not in the conformance gateway)");
    const std::vector<std::pair<vs::Mode, vs::StreamErrc>> bad{
        {0x1041, vs::StreamErrc::data_mode_mismatch}, {0x1047, vs::StreamErrc::data_mode_mismatch},
        {0x3045, vs::StreamErrc::data_mode_mismatch}, {0x11045, vs::StreamErrc::data_mode_unsupported}};
    for (const auto& [mode, errc] : bad) {
      const vs::Mode m = mode;  // a plain variable: clang 14 cannot capture structured bindings
      const auto c = construct([&] { make_fixed(m); });
      require(c.rejected, "mode " + std::to_string(m) + " accepted on fixed bytes");
      require(c.code == errc, "mode " + std::to_string(m) + " rejected as " + code_name(c.code) + ", not " +
                                  vs::errc_name(errc));
      const std::string text = vs::errc_message(errc);  // the reference's text
      require(c.message == text, "mode " + std::to_string(m) + " rejected with '" + c.message + "', not '" + text + "'");
    }
    // A writable mode needs a write buffer (a read/write file: its data allows WRITABLE).
    HarnessFile file("0123456789");
    auto make_file = [&](bool wbuf) {
      vs::StreamerConfig cfg;
      cfg.mode = vm::readable | vm::writable | vm::start_bounded | vm::end_bounded;
      cfg.write_buffer = wbuf;
      vs::ByteStreamer::create(std::make_unique<vs::SimpleFileData>(file.path(), "r+b"), cfg);
    };
    const auto with_buffer = construct([&] { make_file(true); });
    require(!with_buffer.rejected, "writable file streamer with a write buffer rejected: " + with_buffer.message);
    const auto no_buffer = construct([&] { make_file(false); });
    require(no_buffer.code == vs::StreamErrc::writable_requires_write_buffer,
            no_buffer.rejected ? "writable streamer without a write buffer rejected as " + code_name(no_buffer.code)
                               : std::string("writable streamer without a write buffer accepted"));
    auto base = open_harness_base(ctx, [=] { return make_fixed(ok.at((*next)++)).proxy(); });
    for (vs::Mode m : ok) {
      auto r = raw_from(base, "harness_streamer");
      check_byte_tag(r.tag, static_cast<std::int64_t>(m), "mode " + std::to_string(m));
      check_connect(r.connect(15, 10, 100), Tuple{I(static_cast<std::int64_t>(m)), I(0), I(15), I(10), I(1000000)},
                    "mode " + std::to_string(m));
    }
    return Observation::failed(ErrorCategory::mode_error, "mode checks of the fixed-data streamer");
  }};

  // C26: SEEK_REW only, positioned start forward from 0 → fail "Forward seek not allowed".
  d["STREAM-C26"] = {[](ScenarioContext& ctx) {
    auto r = open_raw_harness(ctx, [] { return vs::ByteStreamer::fixed(pat(25, 3), true, false).proxy(); });
    check_connect(r.connect(15, 10, 100), Tuple{I(0x1445), I(0), I(15), I(10), I(1000000)}, "SEEK_REW-only streamer");
    require(r.call("peer_read_start", I(0), I(5), I(1), Entity(true)).is_none(), "read_start result is not null");
    auto o = expect_peer_fail(r, 0, "Forward seek not allowed", "forward seek on a SEEK_REW-only streamer");
    require(r.peer->calls("peer_set_start_pos").empty(), "set_start_pos for a refused seek");
    return o;
  }};

  // C27: SEEK_FWD only, read_start(0, −5, END) on 25 bytes → start 20; limit 100 with r_size 4
  // → uvwx-equivalent (bytes 20..23), then the last byte with eos (short read).
  d["STREAM-C27"] = {[](ScenarioContext& ctx) {
    const auto data = pat(25, 4);
    auto r = open_raw_harness(ctx, [data] { return vs::ByteStreamer::fixed(data, false, true).proxy(); });
    r.connect(15, 10, 4);
    r.call("peer_read_start", I(0), I(-5), I(3), Entity(true));
    r.call("peer_read_lim", I(1), I(100));
    check_call(r, "peer_set_start_pos", 0, Tuple{I(0), I(0), I(20)}, "start at END − 5");
    require_arrived(r.wait_pushes(2), "fewer than 2 pushes");
    require(r.quiet_after(2), "more than 2 pushes");
    const auto p = r.pushes();
    check_push(p[0], 0, Entity(slice(data, 20, 4)), false, "push 1");
    check_push(p[1], 0, Entity(slice(data, 24, 1)), true, "push 2 (short read: eos)");
    require(p[0].args[0] == I(1) && p[1].args[0] == I(2), "push msg_ids are not 1, 2");
    require(r.peer->calls("peer_fail").empty(), "the streamer failed");
    return Observation::ok();
  }};

  // C28: a read-only streamer fails a write start ("Stream not writable"); vpstream's peer
  // sending on an entity fixed stream then fails (SPEC VStreamFailure; REF D7 times out).
  d["STREAM-C28"] = {[](ScenarioContext& ctx) {
    auto base = open_base(ctx);
    {
      auto r = raw_from(base, "bytes_fixed", I(25), I(1));
      r.connect(15, 10, 100);
      require(r.call("peer_write_start", I(0), kNull, kNull).is_none(), "write_start result is not null");
      expect_peer_fail(r, 0, "Stream not writable", "write start on a read-only streamer");
      require(r.peer->calls("peer_set_start_pos").empty(), "set_start_pos for a refused write start");
    }
    {
      auto r = raw_from(base, "entities_fixed", Entity(Tuple{I(1), I(2)}));
      r.connect(15, 10, 100);
      require(r.call("peer_write_start", I(0), kNull, kNull).is_none(), "write_start result is not null");
      expect_peer_fail(r, 0, "Stream not writable", "write start on a read-only entity streamer");
    }
    base.session->step("entities_fixed → send(timeout)");
    auto stream = base.gw.call("entities_fixed", Entity(Tuple{I(1), I(2)})).as<vs::EntityStreamerProxy>().connect();
    require_arrived(stream.wait_status({.active = true}, to(base.wait)), "entity stream not active");
    const auto sent = outcome_of([&] { stream.send(Entity(Tuple{I(7)}), to(ctx.scaled(2000ms))); });
    if (sent == ErrorCategory::stream_failure) require(stream.failed(), "send raised VStreamFailure but the stream is not failed");
    return Observation::failed(sent, "send on a read-only entity stream");
  }};

  // C29: trunc_before without CAN_MOVE_START|START_CAN_INC and trunc_after without END_CAN_DEC →
  // fail "Illecal truncate operation" (sic) — an early check, even inside a write context.
  d["STREAM-C29"] = {[](ScenarioContext& ctx) {
    const bool loopback = ctx.target().kind == Target::Kind::loopback;
    auto file = std::make_shared<HarnessFile>("0123456789");
    // Loopback also checks the precise cases, one flag missing each: CAN_MOVE_END|END_CAN_INC
    // without END_CAN_DEC (a file), then CAN_MOVE_START|START_CAN_DEC without START_CAN_INC
    // (no built-in data allows CAN_MOVE_START: data that accepts every bit).
    auto made = std::make_shared<std::size_t>(0);
    auto base = loopback ? open_harness_base(ctx, [file, made]() -> Entity {
      if ((*made)++ == 0) return file_streamer(*file, "r+b", non_growable_rw | vm::end_can_inc | vm::can_move_end);
      vs::StreamerConfig cfg;
      cfg.mode = vm::readable | vm::writable | vm::seek_rew | vm::seek_fwd | vm::start_bounded | vm::end_bounded |
                 vm::can_move_start | vm::start_can_dec;
      cfg.write_buffer = true;
      return vs::ByteStreamer::create(std::make_unique<AnyModeBytes>(pat(5, 6)), cfg).proxy();
    })
                         : open_base(ctx);
    {
      auto r = raw_from(base, "bytes_file", Entity(versile::Bytes(std::string_view("0123456789"))));
      r.connect(15, 10, 100);
      r.call("peer_write_start", I(0), I(0), I(1));
      check_call(r, "peer_write_lim", 0, Tuple{I(1), I(0), I(10000000)}, "write context");
      require(r.call("peer_trunc_before", I(1)).is_none(), "trunc_before result is not null");
      expect_peer_fail(r, 2, "Illecal truncate operation", "trunc_before without CAN_MOVE_START");
    }
    {
      auto r = raw_from(base, "bytes_fixed", I(25), I(1));
      r.connect(15, 10, 100);
      require(r.call("peer_trunc_after", I(0)).is_none(), "trunc_after result is not null");
      expect_peer_fail(r, 0, "Illecal truncate operation", "trunc_after on a fixed-data streamer");
    }
    if (loopback) {
      auto r = raw_from(base, "harness_streamer");
      r.connect(15, 10, 100);
      r.call("peer_write_start", I(0), I(0), I(1));
      check_call(r, "peer_write_lim", 0, Tuple{I(1), I(0), I(10000000)}, "write context (growable, no END_CAN_DEC)");
      require(r.call("peer_trunc_after", I(1)).is_none(), "trunc_after result is not null");
      expect_peer_fail(r, 2, "Illecal truncate operation", "trunc_after without END_CAN_DEC");
      require(file->contents() == "0123456789", "the refused truncation changed the file");
    }
    if (loopback) {
      auto r = raw_from(base, "harness_streamer");
      r.connect(15, 10, 100);
      r.call("peer_write_start", I(0), I(0), I(1));
      // The end is bounded and cannot grow: the grant stops at the 5-byte end (§8.3).
      check_call(r, "peer_write_lim", 0, Tuple{I(1), I(0), I(5)}, "write context (CAN_MOVE_START, no START_CAN_INC)");
      require(r.call("peer_trunc_before", I(1)).is_none(), "trunc_before result is not null");
      expect_peer_fail(r, 2, "Illecal truncate operation", "trunc_before without START_CAN_INC");
    }
    return Observation::failed(ErrorCategory::stream_failure, "illegal truncations failed the stream");
  }};

  // C30: trunc_after in a read context (the mode allows it) → fail "Truncate requires write
  // context"; the file is untouched.
  d["STREAM-C30"] = {[](ScenarioContext& ctx) {
    auto base = open_base(ctx);
    auto r = raw_from(base, "bytes_file", Entity(versile::Bytes(std::string_view("0123456789"))));
    r.connect(15, 10, 100);
    r.call("peer_read_start", I(0), kNull, kNull, Entity(true));
    check_call(r, "peer_set_start_pos", 0, Tuple{I(0), I(0), I(0)}, "read start");
    require(r.call("peer_trunc_after", I(1)).is_none(), "trunc_after result is not null");
    auto o = expect_peer_fail(r, 1, "Truncate requires write context", "trunc_after in a read context");
    const auto contents = base.gw.call("file_contents", r.token).as_bytes();
    require(contents == versile::Bytes(std::string_view("0123456789")), "the refused truncation changed the file");
    return o;
  }};

  // C78: an `r` file streamer with READABLE|DATA_LOCK|START_LOCK|END_LOCK → tag and connect mode
  // 57413 (0xE045); reading works as without the lock flags (fake peer and vpstream's peer).
  d["STREAM-C78"] = {[](ScenarioContext& ctx) {
    auto file = std::make_shared<HarnessFile>("locked file contents");
    constexpr vs::Mode locks = vm::readable | vm::data_lock | vm::start_lock | vm::end_lock;
    auto base = open_harness_base(ctx, [file] { return file_streamer(*file, "rb", locks, {}, false, false); });
    {
      auto r = raw_from(base, "harness_streamer");
      check_byte_tag(r.tag, 57413, "lock flags");
      check_connect(r.connect(15, 10, 1000000), Tuple{I(57413), I(0), I(15), I(10), I(1000000)}, "lock flags");
      r.call("peer_read_start", I(0), kNull, kNull, Entity(true));
      r.call("peer_read_lim", I(1), I(1000));
      require_arrived(r.wait_pushes(1), "no push");
      require(r.quiet_after(1), "more than one push");
      check_push(r.pushes()[0], 0, B("locked file contents"), true, "push of the whole file");
      r.call("peer_close", I(2));
      require_arrived(r.peer->wait_count("peer_closed", 1, r.wait), "no peer_closed");
    }
    base.session->step("vpstream peer: read()");
    const auto proxy = base.gw.call("harness_streamer").as<vs::ByteStreamerProxy>();
    require(proxy.mode() == 57413, "decoded proxy mode is not 57413");
    auto stream = proxy.connect();
    require_arrived(stream.wait_status({.active = true}, to(base.wait)), "the peer did not accept mode 57413");
    require(stream.mode() == 57413, "stream mode is not 57413");
    require(str_of(stream.read().as_bytes()) == "locked file contents", "read() did not return the file");
    stream.close();
    require_arrived(stream.wait_status({.closed = true}, to(base.wait)), "the stream did not close");
    return Observation::ok();
  }};

  // C79: an `r` file streamer with any of START_CAN_INC, CAN_MOVE_START|START_CAN_INC, WRITABLE,
  // END_CAN_INC (required-clear bits of the data) → "Mismatch with required streamer data
  // mode.". Local API only: a rejected streamer never exists, so nothing reaches the wire.
  d["STREAM-C79"] = {[](ScenarioContext&) {
    HarnessFile file("x");
    const vs::Mode base = vm::readable | vm::start_bounded | vm::end_bounded;
    auto make = [&](vs::Mode m) {
      vs::StreamerConfig cfg;
      cfg.mode = m;
      cfg.write_buffer = true;  // so a writable mode can only fail the data's mode rule
      vs::ByteStreamer::create(std::make_unique<vs::SimpleFileData>(file.path(), "rb"), cfg);
    };
    const auto plain = construct([&] { make(base); });
    require(!plain.rejected, "the plain `r` mode is rejected: " + plain.message);
    for (vs::Mode extra : {vm::start_can_inc, vm::can_move_start | vm::start_can_inc, vm::writable, vm::end_can_inc}) {
      const auto c = construct([&] { make(base | extra); });
      require(c.rejected, "`r` file streamer accepted mode " + std::to_string(base | extra));
      require(c.code == vs::StreamErrc::data_mode_mismatch && c.message == kMismatch,
              "mode " + std::to_string(base | extra) + " rejected as " + code_name(c.code) + ": '" + c.message + "'");
    }
    return Observation::failed(ErrorCategory::mode_error, "required-clear bits of an `r` file rejected");
  },
                     false};
}

}  // namespace vpstream::conformance
