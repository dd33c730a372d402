// SHA-256 block compression with the processor's SHA instructions (x86 SHA extensions), for
// HubsCore's `SHA256`, which keeps its plain Swift compression for processors without them;
// the round constants are here for both.
// The rounds follow the instructions' documented use (Intel's "New Instructions Supporting the
// Secure Hash Algorithm on Intel Architecture Processors", 2013): the state kept as ABEF and
// CDGH, two rounds per sha256rnds2, the message schedule four words at a time by sha256msg1,
// an alignment and sha256msg2.
#include "hubs_kernels.h"

/// SHA-256's 64 round constants (FIPS 180-4, 4.2.2), read by both compressions.
static const uint32_t round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

const uint32_t *hubs_sha256_constants(void) { return round_constants; }

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>


int hubs_sha256_native(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    int sha = (b >> 29) & 1;
    return ssse3 && sse41 && sha;
}

__attribute__((target("sha,ssse3,sse4.1"))) void hubs_sha256_blocks(uint32_t *state, const uint8_t *data, long blocks) {
    // Big-endian words: reverse the bytes of each 32-bit lane.
    const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i dcba = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i hgfe = _mm_loadu_si128((const __m128i *)&state[4]);
    __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
    for (long n = 0; n < blocks; n++, data += 64) {
        __m128i abef_before = abef, cdgh_before = cdgh;
        // w[j % 4]: the schedule's words 4j ..< 4j + 4, for the rounds of group j.
        __m128i w[4];
        for (int j = 0; j < 4; j++) w[j] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * j)), swap);
        for (int j = 0; j < 16; j++) {
            __m128i kw = _mm_add_epi32(w[j % 4], _mm_loadu_si128((const __m128i *)&round_constants[4 * j]));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, kw);
            if (j >= 3 && j <= 14) {
                // Words of group j + 1 (their first part was begun by sha256msg1 two groups ago).
                __m128i next = _mm_add_epi32(w[(j + 1) % 4], _mm_alignr_epi8(w[j % 4], w[(j + 3) % 4], 4));
                w[(j + 1) % 4] = _mm_sha256msg2_epu32(next, w[j % 4]);
            }
            abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(kw, 0x0E));
            if (j >= 1 && j <= 12) w[(j + 3) % 4] = _mm_sha256msg1_epu32(w[(j + 3) % 4], w[j % 4]);
        }
        abef = _mm_add_epi32(abef, abef_before);
        cdgh = _mm_add_epi32(cdgh, cdgh_before);
    }
    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}
#else
int hubs_sha256_native(void) { return 0; }
void hubs_sha256_blocks(uint32_t *state, const uint8_t *data, long blocks) {
    (void)state;
    (void)data;
    (void)blocks;
}
#endif
