// The dashboard's certificate (OpenSSL 3): key pair, self-signed certificate, fingerprint.
#include "tls.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <set>

#include "pav/core/error.h"

namespace pav::dashboard {
namespace {

// RAII for OpenSSL's handles.
struct FreeKey { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct FreeX509 { void operator()(X509* p) const { X509_free(p); } };
struct FreeBio { void operator()(BIO* p) const { BIO_free(p); } };
struct FreeExt { void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); } };
struct FreeBn { void operator()(BIGNUM* p) const { BN_free(p); } };
using Key = std::unique_ptr<EVP_PKEY, FreeKey>;
using Cert = std::unique_ptr<X509, FreeX509>;
using Bio = std::unique_ptr<BIO, FreeBio>;
using Ext = std::unique_ptr<X509_EXTENSION, FreeExt>;
using Bn = std::unique_ptr<BIGNUM, FreeBn>;

// OpenSSL's last error as text, for messages.
std::string sslError() {
  const unsigned long code = ERR_get_error();
  if (code == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return text;
}

void check(bool ok, const char* what) {
  if (!ok) fail("dashboard certificate: %s failed (%s)", what, sslError().c_str());
}

std::string hostName() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "pavilion";
  return name;
}

// "DNS:host,DNS:localhost,IP:127.0.0.1,IP:::1,IP:<each address of this machine>".
std::string subjectAltNames(const std::string& host) {
  std::set<std::string> names = {"DNS:localhost", "IP:127.0.0.1", "IP:::1"};
  if (host.find_first_of(",: ") == std::string::npos) names.insert("DNS:" + host);
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) == 0) {
    for (const ifaddrs* a = list; a; a = a->ifa_next) {
      if (!a->ifa_addr) continue;
      char text[INET6_ADDRSTRLEN] = {};
      if (a->ifa_addr->sa_family == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(a->ifa_addr)->sin_addr, text, sizeof text);
      } else if (a->ifa_addr->sa_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(a->ifa_addr);
        if (IN6_IS_ADDR_LINKLOCAL(&in6->sin6_addr)) continue;  // needs a scope, no browser uses it
        inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
      } else {
        continue;
      }
      if (text[0]) names.insert(std::string("IP:") + text);
    }
    freeifaddrs(list);
  }
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

void addExtension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  Ext ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  check(ext != nullptr, "making a certificate extension");
  check(X509_add_ext(cert, ext.get(), -1) == 1, "adding a certificate extension");
}

std::string pem(const std::function<int(BIO*)>& write) {
  Bio bio(BIO_new(BIO_s_mem()));
  check(bio != nullptr && write(bio.get()) == 1, "writing PEM");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

// Temporary file, fsync, rename, fsync of the folder: a crash leaves the old file or the new one.
void writeFile(const std::string& folder, const std::string& path, const std::string& text, mode_t mode) {
  const std::string temp = path + ".tmp";
  ::unlink(temp.c_str());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) fail("dashboard certificate: cannot write %s: %s", temp.c_str(), std::strerror(errno));
  size_t done = 0;
  bool ok = ::fchmod(fd, mode) == 0;
  while (ok && done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) {
    const int why = ok ? errno : err;
    ::unlink(temp.c_str());
    fail("dashboard certificate: cannot write %s: %s", path.c_str(), std::strerror(why));
  }
  if (const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace

CertificateFiles certificateFiles(const std::string& folder) {
  const std::string base = folder.empty() ? std::string(".") : folder;
  return {base + "/dashboard.crt", base + "/dashboard.key"};
}

CertificateFiles makeCertificate(const std::string& folder) {
  const CertificateFiles files = certificateFiles(folder);
  Key key(EVP_EC_gen("P-256"));
  check(key != nullptr, "making an EC P-256 key");

  Cert cert(X509_new());
  check(cert != nullptr, "X509_new");
  check(X509_set_version(cert.get(), 2) == 1, "setting the certificate's version");
  Bn serial(BN_new());
  check(serial && BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1, "a random serial");
  check(BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) != nullptr, "setting the serial");
  check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -24 * 3600) != nullptr, "setting notBefore");
  check(X509_time_adj_ex(X509_getm_notAfter(cert.get()), 3650, 0, nullptr) != nullptr, "setting notAfter");
  check(X509_set_pubkey(cert.get(), key.get()) == 1, "setting the public key");

  const std::string host = hostName();
  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string common = "Pavilion dashboard on " + host;
  check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("Pavilion"),
                                   -1, -1, 0) == 1 &&
            X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                       reinterpret_cast<const unsigned char*>(common.c_str()), -1, -1, 0) == 1,
        "naming the certificate");
  check(X509_set_issuer_name(cert.get(), name) == 1, "setting the issuer");
  addExtension(cert.get(), NID_subject_alt_name, subjectAltNames(host));
  addExtension(cert.get(), NID_key_usage, "critical,digitalSignature");
  addExtension(cert.get(), NID_ext_key_usage, "serverAuth");
  addExtension(cert.get(), NID_subject_key_identifier, "hash");
  check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "signing the certificate");

  const std::string keyPem = pem([&](BIO* b) {
    return PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  const std::string certPem = pem([&](BIO* b) { return PEM_write_bio_X509(b, cert.get()); });
  const std::string dir = folder.empty() ? std::string(".") : folder;
  writeFile(dir, files.privateKey, keyPem, 0600);
  writeFile(dir, files.certificate, certPem, 0644);
  return files;
}

std::string fingerprint(const std::string& certificatePath) {
  Bio bio(BIO_new_file(certificatePath.c_str(), "r"));
  if (!bio) fail("dashboard certificate: cannot read %s: %s", certificatePath.c_str(), std::strerror(errno));
  Cert cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) fail("dashboard certificate: %s is not a PEM certificate", certificatePath.c_str());
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  check(X509_digest(cert.get(), EVP_sha256(), md, &n) == 1, "hashing the certificate");
  std::string out;
  char byte[4];
  for (unsigned int i = 0; i < n; ++i) {
    std::snprintf(byte, sizeof byte, i ? ":%02X" : "%02X", md[i]);
    out += byte;
  }
  return out;
}

bool isLoopback(const std::string& bind) {
  if (bind == "localhost" || bind == "::1" || bind == "[::1]") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, bind.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  return false;
}

}  // namespace pav::dashboard
