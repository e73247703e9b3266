// Running a program as a child process for the command-line tests: fork/execve with an explicit
// environment, stdout and stderr captured through pipes, stdin from /dev/null, and a timeout
// after which the child's process group is killed. The result says how the child ended (exit
// code, signal, timeout) so a test can tell "failed cleanly" from "crashed".
//
// Header-only (inline) so the test program is one source file. Everything the child needs
// (argv, envp, file descriptors) is prepared before fork, so the child only calls
// async-signal-safe functions between fork and execve.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <vector>

extern "C" char** environ;  // unistd.h declares it only with _GNU_SOURCE

namespace pav::clitest {

// The environment a child gets: a copy of this process's environment (or an empty one) that a
// test then edits. Nothing here touches this process's own environment.
class Environment {
 public:
  static Environment inherited();  // a copy of environ
  static Environment empty() { return {}; }

  Environment& set(const std::string& name, const std::string& value);
  Environment& unset(const std::string& name);
  // Removes every variable whose name starts with `prefix` (e.g. "PAV_").
  Environment& unsetPrefix(std::string_view prefix);
  bool has(const std::string& name) const { return vars_.count(name) != 0; }

  std::vector<std::string> entries() const;  // "NAME=value", for execve

 private:
  std::map<std::string, std::string> vars_;
};

struct ChildResult {
  bool started = false;    // fork succeeded (an execve failure then shows as exit 127)
  bool timedOut = false;   // killed by us after the timeout
  bool exited = false;     // ended through exit(); exitCode is valid
  int exitCode = -1;
  bool signaled = false;   // ended by a signal; signal is valid
  int signal = 0;
  std::string out;         // everything written to stdout
  std::string err;         // everything written to stderr
  std::string command;     // the command line, for messages

  // "exit 1", "killed by signal 11 (Segmentation fault)", "timed out ...".
  std::string describeEnd() const;
  // The command, how it ended and both streams: what a failing test prints.
  std::string transcript() const;
  // Both streams, stdout first.
  std::string output() const { return out + err; }
};

// ---- Environment ------------------------------------------------------------------------------

inline Environment Environment::inherited() {
  Environment e;
  for (char** p = environ; p && *p; ++p) {
    const std::string_view entry(*p);
    const size_t eq = entry.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    e.vars_[std::string(entry.substr(0, eq))] = std::string(entry.substr(eq + 1));
  }
  return e;
}

inline Environment& Environment::set(const std::string& name, const std::string& value) {
  vars_[name] = value;
  return *this;
}

inline Environment& Environment::unset(const std::string& name) {
  vars_.erase(name);
  return *this;
}

inline Environment& Environment::unsetPrefix(std::string_view prefix) {
  for (auto it = vars_.begin(); it != vars_.end();) {
    if (std::string_view(it->first).substr(0, prefix.size()) == prefix)
      it = vars_.erase(it);
    else
      ++it;
  }
  return *this;
}

inline std::vector<std::string> Environment::entries() const {
  std::vector<std::string> out;
  out.reserve(vars_.size());
  for (const auto& [name, value] : vars_) out.push_back(name + "=" + value);
  return out;
}

// ---- ChildResult ------------------------------------------------------------------------------

inline std::string ChildResult::describeEnd() const {
  if (!started) return "could not be started";
  std::string s;
  if (timedOut) s = "timed out and was killed; ";
  if (exited) return s + "exit " + std::to_string(exitCode);
  if (signaled) {
    const char* name = strsignal(signal);
    return s + "killed by signal " + std::to_string(signal) + " (" + (name ? name : "?") + ")";
  }
  return s + "ended in an unknown way";
}

inline std::string ChildResult::transcript() const {
  std::string t = "command: " + command + "\nended:   " + describeEnd() + "\n";
  t += "---- stdout (" + std::to_string(out.size()) + " bytes) ----\n" + out;
  if (!out.empty() && out.back() != '\n') t += '\n';
  t += "---- stderr (" + std::to_string(err.size()) + " bytes) ----\n" + err;
  if (!err.empty() && err.back() != '\n') t += '\n';
  t += "----";
  return t;
}

// ---- runChild ---------------------------------------------------------------------------------

namespace detail {

inline std::string quoteArg(const std::string& a) {
  if (!a.empty() && a.find_first_of(" \t\n'\"\\$`") == std::string::npos) return a;
  std::string q = "'";
  for (char c : a) {
    if (c == '\'')
      q += "'\\''";
    else
      q += c;
  }
  return q + "'";
}

inline void closeFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace detail

// Runs `program` (an absolute path, not searched in PATH) with `args` (argv[1..]) and `env`,
// in `workingDir` (empty: this process's). The child runs in its own process group; when
// `timeout` passes, the group gets SIGKILL and the result says timedOut.
inline ChildResult runChild(const std::string& program, const std::vector<std::string>& args,
                            const Environment& env, const std::string& workingDir = {},
                            std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
  ChildResult r;
  r.command = detail::quoteArg(program);
  for (const auto& a : args) r.command += " " + detail::quoteArg(a);
  if (!workingDir.empty()) r.command += "   (in " + workingDir + ")";

  // argv / envp are built before fork: the child must not allocate.
  std::vector<std::string> argStore;
  argStore.reserve(args.size() + 1);
  argStore.push_back(program);
  argStore.insert(argStore.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argStore) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> envStore = env.entries();
  std::vector<char*> envp;
  for (auto& e : envStore) envp.push_back(e.data());
  envp.push_back(nullptr);

  int outPipe[2] = {-1, -1}, errPipe[2] = {-1, -1};
  int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (devNull < 0 || ::pipe2(outPipe, O_CLOEXEC) != 0 || ::pipe2(errPipe, O_CLOEXEC) != 0) {
    r.err = std::string("test harness: cannot create pipes: ") + std::strerror(errno);
    detail::closeFd(devNull);
    for (int* fd : {&outPipe[0], &outPipe[1], &errPipe[0], &errPipe[1]}) detail::closeFd(*fd);
    return r;
  }

  const pid_t pid = ::fork();
  if (pid < 0) {
    r.err = std::string("test harness: fork failed: ") + std::strerror(errno);
    detail::closeFd(devNull);
    for (int* fd : {&outPipe[0], &outPipe[1], &errPipe[0], &errPipe[1]}) detail::closeFd(*fd);
    return r;
  }
  if (pid == 0) {
    // Child: own process group (so a timeout kills everything it started), default signal
    // handling, the pipes as stdout/stderr. dup2 clears O_CLOEXEC on the copies.
    ::setpgid(0, 0);
    ::signal(SIGPIPE, SIG_DFL);
    ::dup2(devNull, STDIN_FILENO);
    ::dup2(outPipe[1], STDOUT_FILENO);
    ::dup2(errPipe[1], STDERR_FILENO);
    if (!workingDir.empty() && ::chdir(workingDir.c_str()) != 0) {
      static const char msg[] = "test harness: cannot change to the working directory\n";
      [[maybe_unused]] const ssize_t n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
      ::_exit(126);
    }
    ::execve(program.c_str(), argv.data(), envp.data());
    static const char msg[] = "test harness: execve failed for the program under test\n";
    [[maybe_unused]] const ssize_t n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
    ::_exit(127);
  }

  r.started = true;
  ::setpgid(pid, pid);  // also here, so the group exists before we might kill it
  detail::closeFd(devNull);
  detail::closeFd(outPipe[1]);
  detail::closeFd(errPipe[1]);
  int fds[2] = {outPipe[0], errPipe[0]};
  std::string* sinks[2] = {&r.out, &r.err};
  for (int fd : fds) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);

  constexpr size_t kMaxCapture = 32u << 20;  // a runaway child must not eat the test's memory
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[16384];
  while (fds[0] >= 0 || fds[1] >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      r.timedOut = true;
      ::kill(-pid, SIGKILL);
      ::kill(pid, SIGKILL);
      break;
    }
    pollfd p[2];
    nfds_t n = 0;
    int which[2];
    for (int i = 0; i < 2; ++i) {
      if (fds[i] < 0) continue;
      p[n] = {fds[i], POLLIN, 0};
      which[n++] = i;
    }
    const int ready = ::poll(p, n, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (nfds_t k = 0; k < n; ++k) {
      if (!(p[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const int i = which[k];
      for (;;) {
        const ssize_t got = ::read(fds[i], buf, sizeof buf);
        if (got > 0) {
          if (sinks[i]->size() < kMaxCapture) sinks[i]->append(buf, static_cast<size_t>(got));
          continue;
        }
        if (got < 0 && errno == EINTR) continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        detail::closeFd(fds[i]);  // EOF or a real error
        break;
      }
    }
  }
  detail::closeFd(fds[0]);
  detail::closeFd(fds[1]);

  // Both pipes are closed, so the child has exited or closed its streams; wait for it, and
  // kill it if it lingers past the deadline without its streams.
  int status = 0;
  for (;;) {
    const pid_t w = ::waitpid(pid, &status, r.timedOut ? 0 : WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) return r;
    if (w == 0) {
      if (std::chrono::steady_clock::now() >= deadline) {
        r.timedOut = true;
        ::kill(-pid, SIGKILL);
        ::kill(pid, SIGKILL);
      } else {
        ::usleep(10000);
      }
    }
  }
  if (WIFEXITED(status)) {
    r.exited = true;
    r.exitCode = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    r.signaled = true;
    r.signal = WTERMSIG(status);
  }
  return r;
}

}  // namespace pav::clitest
