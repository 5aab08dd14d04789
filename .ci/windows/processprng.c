/* Test-only stand-in for bcryptprimitives.dll under Wine 8, which lacks ProcessPrng (every
 * Windows 10 and later has it, and current Rust programs import it). Built by .ci/windows.sh
 * into the Wine prefix of the test run; never shipped with kensa. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG n = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        length -= n;
    }
    return TRUE;
}
