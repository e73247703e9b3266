// A deadline over every request of the dashboard, so slow clients cannot hold its workers.
//
// cpp-httplib 0.11 (Debian 12) times out each read and write on its own: a client that sends
// one header byte every second, or never finishes its body, keeps a worker for ever, and as
// many such clients as there are workers shut the dashboard. The watchdog gives each
// connection a deadline from the moment a worker takes it up to the moment its request has
// been read (headers and body), again for each request on a kept-alive connection, and cuts
// (shutdown(2)) a connection past it: the worker's read fails at once and it moves on.
//
//   ConnectionWatchdog watchdog(limit);
//   server.new_task_queue = [&] { return watchdog.newTaskQueue(workers); };
//   watchdog.setPort(port);                 // after bind: which accepted sockets are ours
//   // in every handler:  ConnectionWatchdog::handling();      (the request is in)
//   // in an event stream: ConnectionWatchdog::streaming();    (no deadline: it is meant to last)
//   // in the logger:      ConnectionWatchdog::responded();    (the next request gets a new deadline)
//
// httplib offers no hook on an accepted socket, but it hands each one to the task queue right
// after accept(2) on its one listening thread: the queue then finds the one socket on the
// dashboard's port that nobody watches yet (by inode, in /proc/self/fd) and keeps a duplicate of
// it, so a cut can never reach a descriptor number that was closed and reused.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

#include <httplib.h>

namespace pav::dashboard {

class ConnectionWatchdog {
 public:
  using Clock = std::chrono::steady_clock;

  explicit ConnectionWatchdog(Clock::duration limit);
  ~ConnectionWatchdog();  // joins its thread; the task queue must be gone (httplib's listen returned)
  ConnectionWatchdog(const ConnectionWatchdog&) = delete;
  ConnectionWatchdog& operator=(const ConnectionWatchdog&) = delete;

  void setPort(uint16_t port) { port_ = port; }
  // For httplib::Server::new_task_queue: `workers` threads that run connections under the watch.
  httplib::TaskQueue* newTaskQueue(size_t workers);

  // Called on a worker thread, about the connection it serves.
  static void handling();   // the request is read: the handler and the reply get kHandling
  static void streaming();  // an event stream: no deadline (streams are few and logged in)
  static void responded();  // the reply is written: the next request gets a fresh deadline

  uint64_t cut() const { return cut_; }  // connections cut at their deadline so far
  size_t serving();                       // connections a worker has taken up and not finished
  static constexpr auto kHandling = std::chrono::seconds(30);

 private:
  struct Entry {
    int watchFd = -1;  // a duplicate of the connection's socket, closed with the entry
    ino_t inode = 0;
    Clock::time_point deadline = Clock::time_point::max();
    bool isCut = false;
    bool started = false;
    ConnectionWatchdog* owner = nullptr;
  };
  class Queue;
  static thread_local Entry* current_;  // the connection this worker thread serves

  std::vector<Entry*> adopt();  // on httplib's listening thread, right after accept(2)
  void start(Entry* e);         // a worker takes the connection up
  void release(const std::vector<Entry*>& entries);
  void setDeadline(Entry* e, Clock::time_point deadline);
  void run();

  const Clock::duration limit_;
  std::atomic<uint16_t> port_{0};
  std::atomic<uint64_t> cut_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;     // under mutex_
  std::list<Entry> entries_;  // under mutex_
  std::thread thread_;
};

}  // namespace pav::dashboard
