#include "vse/stream/stream.hpp"

#include <utility>
#include <vector>

namespace versile::stream {

Stream::Handle::~Handle() {
  try {
    session->handle_dropped();
  } catch (...) {  // a destructor must not throw; the session fails itself on errors
  }
}

Stream::Stream(std::shared_ptr<PeerSession> session)
    : handle_(std::make_shared<Handle>(std::move(session))) {}

ElementKind Stream::kind() const { return session()->kind(); }
Mode Stream::mode() const { return session()->mode(); }
StatusFlags Stream::status() const { return session()->status(); }

bool Stream::wait_status(WaitFlags flags, Timeout timeout) const {
  return session()->wait_status(flags, timeout);
}

void Stream::set_readahead(std::int64_t num, std::optional<std::int64_t> step) {
  session()->set_readahead(num, step);
}
void Stream::enable_readahead() { session()->enable_readahead(); }
void Stream::disable_readahead() { session()->disable_readahead(); }
void Stream::set_eos_policy(bool eos) { session()->set_eos_policy(eos); }

Entity Stream::recv(std::size_t max_num, Timeout timeout) {
  return session()->recv(max_num, timeout);
}

Entity Stream::read(std::optional<std::size_t> num, std::size_t bsize) {
  std::vector<Entity> parts;
  std::size_t total = 0;
  const bool bytes = kind() == ElementKind::bytes;
  auto length = [bytes](const Entity& e) {
    return bytes ? e.as_bytes().size() : e.as_tuple().size();
  };
  for (;;) {
    if (num && total >= *num) break;
    Entity part = recv(num ? *num - total : bsize);
    const std::size_t n = length(part);
    if (n == 0) break;
    total += n;
    parts.push_back(std::move(part));
  }
  if (parts.size() == 1) return parts.front();
  if (bytes) {
    std::vector<std::uint8_t> out;
    out.reserve(total);
    for (const Entity& p : parts) {
      auto s = p.as_bytes().span();
      out.insert(out.end(), s.begin(), s.end());
    }
    return Entity(Bytes(std::move(out)));
  }
  std::vector<Entity> items;
  items.reserve(total);
  for (const Entity& p : parts) {
    const Tuple& t = p.as_tuple();
    items.insert(items.end(), t.begin(), t.end());
  }
  return Entity(Tuple(std::move(items)));
}

std::size_t Stream::send(const Entity& data, Timeout timeout) {
  return session()->send(data, timeout);
}

void Stream::write(const Entity& data) {
  const bool bytes = kind() == ElementKind::bytes;
  if (bytes ? !data.is<Bytes>() : !data.is<Tuple>()) {
    session()->send(data, std::nullopt);  // throws the type error
    return;
  }
  const std::size_t total = bytes ? data.as_bytes().size() : data.as_tuple().size();
  if (total == 0) {
    session()->send(data, std::nullopt);  // starts the write context (like the reference)
    return;
  }
  std::size_t done = 0;
  while (done < total) {
    Entity rest = data;
    if (done > 0) {
      if (bytes) {
        rest = Entity(data.as_bytes().slice(done));
      } else {
        const Tuple& t = data.as_tuple();
        rest = Entity(Tuple(std::vector<Entity>(t.begin() + static_cast<std::ptrdiff_t>(done), t.end())));
      }
    }
    done += session()->send(rest, std::nullopt);
  }
}

void Stream::rseek(std::int64_t pos, PosRef ref, Timeout timeout) {
  session()->rseek(pos, ref, timeout);
}
void Stream::wseek(std::int64_t pos, PosRef ref, Timeout timeout) {
  session()->wseek(pos, ref, timeout);
}
void Stream::seek(std::int64_t pos, PosRef ref, Timeout timeout) {
  session()->seek(pos, ref, timeout);
}
std::int64_t Stream::pos(Timeout timeout) const { return session()->pos(timeout); }
void Stream::trunc_before(Timeout timeout) { session()->trunc_before(timeout); }
void Stream::trunc_after(Timeout timeout) { session()->trunc_after(timeout); }

Stream::Range Stream::iterator(Timeout timeout, bool close_at_end) {
  session()->check_readable();
  return Range(*this, timeout, close_at_end);
}

void Stream::close() { session()->close(); }

void Stream::async_recv(std::size_t max_num, PeerSession::RecvHandler handler) {
  session()->async_recv(max_num, std::move(handler));
}
void Stream::async_send(Entity data, PeerSession::SendHandler handler) {
  session()->async_send(std::move(data), std::move(handler));
}
void Stream::add_observer(const std::shared_ptr<StreamObserver>& observer) {
  session()->add_observer(observer);
}
void Stream::remove_observer(const std::shared_ptr<StreamObserver>& observer) {
  session()->remove_observer(observer);
}

// ---- iteration ------------------------------------------------------------------------------

std::optional<Entity> Stream::Range::next() {
  if (finished_) return std::nullopt;
  Entity data = stream_.recv(1, timeout_);
  if (data.is<Bytes>()) {
    if (!data.as_bytes().empty()) return data;
  } else if (!data.as_tuple().empty()) {
    return data.as_tuple()[0];
  }
  finished_ = true;
  if (close_at_end_) stream_.close();
  return std::nullopt;
}

Stream::Iterator Stream::Range::begin() {
  Iterator it(this);
  if (auto item = next()) {
    it.current_ = std::move(*item);
    return it;
  }
  return Iterator();
}

Stream::Iterator& Stream::Iterator::operator++() {
  if (auto item = range_->next()) {
    current_ = std::move(*item);
  } else {
    range_ = nullptr;
    current_ = Entity();
  }
  return *this;
}

}  // namespace versile::stream
