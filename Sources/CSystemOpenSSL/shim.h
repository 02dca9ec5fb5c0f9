// The system's OpenSSL 3 libcrypto (Debian/Ubuntu: libssl-dev), used for DKIM's RSA step only: its RSA code
// has the AVX-512 IFMA paths that swift-crypto's BoringSSL lacks. Nothing else in Kilpi uses it.
#ifndef KILPI_CSYSTEMOPENSSL_SHIM_H
#define KILPI_CSYSTEMOPENSSL_SHIM_H

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#if !defined(OPENSSL_VERSION_MAJOR) || OPENSSL_VERSION_MAJOR < 3
#error "Kilpi's DKIM signing needs OpenSSL 3 headers (libssl-dev)"
#endif

#endif
