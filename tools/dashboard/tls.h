// The dashboard's certificate: HTTPS for a dashboard bound beyond loopback.
//
// `pavilion director --init` makes a self-signed certificate (EC P-256, ten years) and its
// private key next to the pavilion's key file; the director serves HTTPS with them and prints
// the certificate's SHA-256 fingerprint, which operators compare with what their browser shows
// the first time they open the page.
//
//   const auto files = pav::dashboard::makeCertificate("/home/op/.config/pavilion");
//   printf("fingerprint %s\n", pav::dashboard::fingerprint(files.certificate).c_str());
//
// Plain HTTP is for loopback only: isLoopback() says which binds may go without a certificate.
#pragma once

#include <string>

namespace pav::dashboard {

struct CertificateFiles {
  std::string certificate;  // PEM, mode 0644
  std::string privateKey;   // PEM, mode 0600
};

// Where the certificate and its key live in `folder` (the key file's folder).
CertificateFiles certificateFiles(const std::string& folder);

// Makes a new key pair and self-signed certificate in `folder` (replacing any there), for the
// machine's host name, "localhost", its addresses and loopback's (subjectAltName). Each file
// is written to a temporary name, synced and renamed. Throws pav::Error with the reason.
CertificateFiles makeCertificate(const std::string& folder);

// The SHA-256 fingerprint of a PEM certificate file, as browsers show it: "AB:CD:...:EF"
// (32 bytes, upper-case hex, colons). Throws pav::Error when the file is not a certificate.
std::string fingerprint(const std::string& certificatePath);

// True for addresses only this machine can reach: 127.0.0.0/8, ::1, "localhost".
bool isLoopback(const std::string& bind);

}  // namespace pav::dashboard
