// The dashboard's connection watchdog (see watchdog.h for why it finds sockets this way).
#include "watchdog.h"

#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

namespace pav::dashboard {

thread_local ConnectionWatchdog::Entry* ConnectionWatchdog::current_ = nullptr;

// httplib's worker pool, with each connection watched from the moment a worker takes it up.
class ConnectionWatchdog::Queue : public httplib::TaskQueue {
 public:
  Queue(ConnectionWatchdog& dog, size_t workers) : dog_(dog), pool_(workers) {}
  void enqueue(std::function<void()> fn) override {
    std::vector<Entry*> entries = dog_.adopt();  // normally exactly one: the socket just accepted
    pool_.enqueue([this, fn = std::move(fn), entries = std::move(entries)] {
      current_ = entries.empty() ? nullptr : entries.front();
      if (current_) dog_.start(current_);
      fn();  // httplib serves the connection and closes its descriptor
      current_ = nullptr;
      dog_.release(entries);
    });
  }
  void shutdown() override { pool_.shutdown(); }

 private:
  ConnectionWatchdog& dog_;
  httplib::ThreadPool pool_;
};

ConnectionWatchdog::ConnectionWatchdog(Clock::duration limit) : limit_(limit) {
  thread_ = std::thread([this] { run(); });
}

ConnectionWatchdog::~ConnectionWatchdog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  for (Entry& e : entries_) ::close(e.watchFd);  // none left when httplib's queue has shut down
}

httplib::TaskQueue* ConnectionWatchdog::newTaskQueue(size_t workers) { return new Queue(*this, workers); }

std::vector<ConnectionWatchdog::Entry*> ConnectionWatchdog::adopt() {
  std::vector<Entry*> found;
  const uint16_t port = port_;
  if (port == 0) return found;
  std::lock_guard lock(mutex_);
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return found;
  while (const dirent* d = ::readdir(dir)) {
    if (d->d_name[0] < '0' || d->d_name[0] > '9') continue;
    const int fd = std::atoi(d->d_name);
    struct stat st {};
    if (fd == ::dirfd(dir) || ::fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) continue;
    bool known = false;
    for (const Entry& e : entries_) known = known || e.inode == st.st_ino;
    if (known) continue;
    int listening = 1;
    socklen_t len = sizeof listening;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || listening) continue;
    sockaddr_storage local{}, peer{};
    socklen_t localLen = sizeof local, peerLen = sizeof peer;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &localLen) != 0 ||
        ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peerLen) != 0)
      continue;
    uint16_t localPort = 0;
    if (local.ss_family == AF_INET) localPort = ntohs(reinterpret_cast<const sockaddr_in&>(local).sin_port);
    else if (local.ss_family == AF_INET6) localPort = ntohs(reinterpret_cast<const sockaddr_in6&>(local).sin6_port);
    if (localPort != port) continue;
    const int watchFd = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (watchFd < 0) continue;
    entries_.push_back(Entry{.watchFd = watchFd, .inode = st.st_ino, .owner = this});
    found.push_back(&entries_.back());
  }
  ::closedir(dir);
  return found;
}

void ConnectionWatchdog::start(Entry* e) {
  {
    std::lock_guard lock(mutex_);
    e->started = true;
  }
  setDeadline(e, Clock::now() + limit_);
}

size_t ConnectionWatchdog::serving() {
  std::lock_guard lock(mutex_);
  size_t n = 0;
  for (const Entry& e : entries_) n += e.started;
  return n;
}

void ConnectionWatchdog::release(const std::vector<Entry*>& entries) {
  std::lock_guard lock(mutex_);
  for (Entry* e : entries) {
    ::close(e->watchFd);
    entries_.remove_if([e](const Entry& x) { return &x == e; });
  }
}

void ConnectionWatchdog::setDeadline(Entry* e, Clock::time_point deadline) {
  {
    std::lock_guard lock(mutex_);
    e->deadline = deadline;
  }
  wake_.notify_all();
}

void ConnectionWatchdog::handling() {
  if (current_) current_->owner->setDeadline(current_, Clock::now() + kHandling);
}
void ConnectionWatchdog::streaming() {
  if (current_) current_->owner->setDeadline(current_, Clock::time_point::max());
}
void ConnectionWatchdog::responded() {
  if (current_) current_->owner->setDeadline(current_, Clock::now() + current_->owner->limit_);
}

void ConnectionWatchdog::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto now = Clock::now();
    auto next = now + std::chrono::seconds(1);
    for (Entry& e : entries_) {
      if (e.isCut) continue;
      if (e.deadline <= now) {
        ::shutdown(e.watchFd, SHUT_RDWR);  // the worker's read or write fails at once
        e.isCut = true;
        cut_++;
      } else if (e.deadline < next) {
        next = e.deadline;
      }
    }
    wake_.wait_until(lock, next);
  }
}

}  // namespace pav::dashboard
