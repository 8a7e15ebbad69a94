// The system's OpenSSL 3 (libssl, libcrypto) as WSKit uses it, plus small inline helpers for what
// Swift cannot call directly (function-like macros) and for the hot, pointer-heavy parts of the
// TLS layer: the in-memory BIO that connects an SSL object to the event loop's buffers (ADR 0080).
#ifndef WSKIT_OPENSSL_H
#define WSKIT_OPENSSL_H

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <stdlib.h>
#include <string.h>

// MARK: The connection's ciphertext buffers

/// Where one SSL object reads ciphertext from and writes ciphertext to. `input` is borrowed from
/// the caller for the duration of one call (the bytes just received); `output` is owned: the
/// records SSL produced and the socket has not taken yet, `[output_head, output_len)`. The output
/// storage is freed as soon as it is fully sent, so an idle connection holds no buffer here.
typedef struct wskit_tls_io {
    const unsigned char *input;
    size_t input_len;
    size_t input_offset;
    unsigned char *output;
    size_t output_head;
    size_t output_len;
    size_t output_capacity;
    int output_failed;
} wskit_tls_io;

static inline int wskit_tls_bio_read(BIO *bio, char *data, size_t len, size_t *readbytes) {
    wskit_tls_io *io = (wskit_tls_io *)BIO_get_data(bio);
    BIO_clear_retry_flags(bio);
    size_t available = io->input_len - io->input_offset;
    if (available == 0) {
        BIO_set_retry_read(bio);
        *readbytes = 0;
        return 0;
    }
    size_t n = len < available ? len : available;
    memcpy(data, io->input + io->input_offset, n);
    io->input_offset += n;
    *readbytes = n;
    return 1;
}

static inline int wskit_tls_bio_write(BIO *bio, const char *data, size_t len, size_t *written) {
    wskit_tls_io *io = (wskit_tls_io *)BIO_get_data(bio);
    BIO_clear_retry_flags(bio);
    size_t needed = io->output_len + len;
    if (needed > io->output_capacity) {
        // One allocation sized for a full record (16 KiB + overhead) covers the common case.
        size_t capacity = io->output_capacity ? io->output_capacity * 2 : 17 * 1024;
        while (capacity < needed) capacity *= 2;
        unsigned char *grown = (unsigned char *)realloc(io->output, capacity);
        if (grown == NULL) {
            io->output_failed = 1;
            return 0;
        }
        io->output = grown;
        io->output_capacity = capacity;
    }
    memcpy(io->output + io->output_len, data, len);
    io->output_len += len;
    *written = len;
    return 1;
}

static inline long wskit_tls_bio_ctrl(BIO *bio, int cmd, long num, void *ptr) {
    (void)num;
    (void)ptr;
    wskit_tls_io *io = (wskit_tls_io *)BIO_get_data(bio);
    switch (cmd) {
    case BIO_CTRL_FLUSH: return 1;
    case BIO_CTRL_PENDING: return io ? (long)(io->input_len - io->input_offset) : 0;
    case BIO_CTRL_WPENDING: return io ? (long)(io->output_len - io->output_head) : 0;
    default: return 0;
    }
}

static inline int wskit_tls_bio_create(BIO *bio) {
    BIO_set_init(bio, 1);
    return 1;
}

static inline int wskit_tls_bio_destroy(BIO *bio) {
    (void)bio;
    return 1;
}

/// Creates the BIO method (once per process; the caller keeps it forever).
static inline BIO_METHOD *wskit_tls_bio_method_new(void) {
    BIO_METHOD *method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "wskit memory");
    if (method == NULL) return NULL;
    BIO_meth_set_read_ex(method, wskit_tls_bio_read);
    BIO_meth_set_write_ex(method, wskit_tls_bio_write);
    BIO_meth_set_ctrl(method, wskit_tls_bio_ctrl);
    BIO_meth_set_create(method, wskit_tls_bio_create);
    BIO_meth_set_destroy(method, wskit_tls_bio_destroy);
    return method;
}

/// Marks `n` output bytes as sent; frees the storage once everything is sent.
static inline void wskit_tls_io_consume(wskit_tls_io *io, size_t n) {
    io->output_head += n;
    if (io->output_head >= io->output_len) {
        free(io->output);
        io->output = NULL;
        io->output_head = 0;
        io->output_len = 0;
        io->output_capacity = 0;
    }
}

// MARK: Macros as functions

static inline long wskit_ssl_ctx_set_min_proto(SSL_CTX *ctx, int version) { return SSL_CTX_set_min_proto_version(ctx, version); }
static inline long wskit_ssl_ctx_set_max_proto(SSL_CTX *ctx, int version) { return SSL_CTX_set_max_proto_version(ctx, version); }
static inline long wskit_ssl_ctx_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }
static inline long wskit_ssl_ctx_set_session_cache_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_session_cache_mode(ctx, mode); }
static inline long wskit_ssl_set_host_name(SSL *ssl, const char *name) { return SSL_set_tlsext_host_name(ssl, name); }
static inline int wskit_ssl_get_version_number(const SSL *ssl) { return SSL_version(ssl); }

/// The settings every WSKit context shares: TLS 1.2 or 1.3 only (from `min_version`), no
/// renegotiation, no compression, the server's cipher preference, record buffers released when
/// idle, tickets on or off, and no server-side session cache (tickets are stateless).
static inline int wskit_ssl_ctx_configure(SSL_CTX *ctx, int server, int min_version, int tickets) {
    if (SSL_CTX_set_min_proto_version(ctx, min_version) != 1) return 0;
    uint64_t options = SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION;
    if (server) options |= SSL_OP_CIPHER_SERVER_PREFERENCE;
    if (!tickets) options |= SSL_OP_NO_TICKET;
    SSL_CTX_set_options(ctx, options);
    if (tickets) SSL_CTX_clear_options(ctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    if (server) {
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
        // One TLS 1.3 ticket per handshake instead of two: half the ticket work and bytes.
        SSL_CTX_set_num_tickets(ctx, tickets ? 1 : 0);
    } else {
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    }
    return 1;
}

// MARK: Certificates and keys

/// Loads a PEM certificate chain (leaf first, then intermediates) from `bio` into `ctx`.
static inline int wskit_ssl_ctx_use_chain(SSL_CTX *ctx, BIO *bio) {
    X509 *leaf = PEM_read_bio_X509_AUX(bio, NULL, NULL, NULL);
    if (leaf == NULL) return 0;
    int ok = SSL_CTX_use_certificate(ctx, leaf);
    X509_free(leaf);
    if (ok != 1) return 0;
    SSL_CTX_clear_chain_certs(ctx);
    X509 *ca;
    while ((ca = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        if (SSL_CTX_add0_chain_cert(ctx, ca) != 1) {
            X509_free(ca);
            return 0;
        }
    }
    // The loop ends on "no start line": the expected end of the file, not an error.
    unsigned long last = ERR_peek_last_error();
    if (ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE) ERR_clear_error();
    else if (last != 0) return 0;
    return 1;
}

/// Loads a PEM private key from `bio` into `ctx` and checks that it matches the certificate.
static inline int wskit_ssl_ctx_use_key(SSL_CTX *ctx, BIO *bio) {
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    if (key == NULL) return 0;
    int ok = SSL_CTX_use_PrivateKey(ctx, key);
    EVP_PKEY_free(key);
    if (ok != 1) return 0;
    return SSL_CTX_check_private_key(ctx);
}

/// Loads every PEM certificate of `bio` as a trust anchor of `ctx`.
static inline int wskit_ssl_ctx_add_trust(SSL_CTX *ctx, BIO *bio) {
    X509_STORE *store = SSL_CTX_get_cert_store(ctx);
    int added = 0;
    X509 *cert;
    while ((cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        int ok = X509_STORE_add_cert(store, cert);
        X509_free(cert);
        if (ok != 1) return 0;
        added++;
    }
    ERR_clear_error();
    return added > 0;
}

// MARK: SNI and ALPN (server)

/// The certificates of one server, by SNI: `contexts[0]` is the default (the SSL objects are
/// created from it), `leaves[i]` the leaf certificate of `contexts[i]`.
typedef struct wskit_sni_table {
    int count;
    SSL_CTX **contexts;
    X509 **leaves;
} wskit_sni_table;

static inline int wskit_sni_callback(SSL *ssl, int *alert, void *arg) {
    (void)alert;
    const wskit_sni_table *table = (const wskit_sni_table *)arg;
    const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    if (name == NULL || table == NULL || table->count < 2) return SSL_TLSEXT_ERR_OK;
    if (X509_check_host(table->leaves[0], name, 0, 0, NULL) == 1) return SSL_TLSEXT_ERR_OK;
    for (int i = 1; i < table->count; i++) {
        if (X509_check_host(table->leaves[i], name, 0, 0, NULL) == 1) {
            SSL_set_SSL_CTX(ssl, table->contexts[i]);
            break;
        }
    }
    return SSL_TLSEXT_ERR_OK;
}

static inline void wskit_ssl_ctx_set_sni_table(SSL_CTX *ctx, wskit_sni_table *table) {
    SSL_CTX_set_tlsext_servername_callback(ctx, wskit_sni_callback);
    SSL_CTX_set_tlsext_servername_arg(ctx, table);
}

/// Selects a protocol of the server's list (`arg`: ALPN wire format, owned by the context) that the
/// client offers; without a common one the connection proceeds without ALPN.
static inline int wskit_alpn_select(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                                    const unsigned char *in, unsigned int inlen, void *arg) {
    (void)ssl;
    const unsigned char *server = (const unsigned char *)arg;
    unsigned int serverlen = (unsigned int)strlen((const char *)server);
    unsigned char *selected = NULL;
    if (SSL_select_next_proto(&selected, outlen, server, serverlen, in, inlen) == OPENSSL_NPN_NEGOTIATED) {
        *out = selected;
        return SSL_TLSEXT_ERR_OK;
    }
    return SSL_TLSEXT_ERR_NOACK;
}

static inline void wskit_ssl_ctx_set_alpn_select(SSL_CTX *ctx, const unsigned char *wire) {
    SSL_CTX_set_alpn_select_cb(ctx, wskit_alpn_select, (void *)wire);
}

/// The last OpenSSL error's reason code (0 when the queue is empty), without removing it.
static inline int wskit_err_peek_reason(void) { return ERR_GET_REASON(ERR_peek_last_error()); }

#endif
