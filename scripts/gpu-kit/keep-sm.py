# Zeroes the machine code of every cubin whose architecture is not KEEP in a shared library's .nv_fatbin
# section, keeping every header (sizes, offsets and the ELF layout stay the same): the CUDA runtime picks
# the image that matches the device (sm_90 on an H100/H200) and never reads the others.
import struct, sys, subprocess
src, dst, keep = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = bytearray(open(src, 'rb').read())
out = subprocess.check_output(['readelf', '-SW', src]).decode()
line = next(l for l in out.splitlines() if '.nv_fatbin' in l)
parts = line.split(']')[1].split()
off, size = int(parts[3], 16), int(parts[4], 16)
pos, end, zeroed, kept = off, off + size, 0, 0
while pos < end:
    magic, ver, hsz, fatsz = struct.unpack_from('<IHHQ', data, pos)
    if magic != 0xBA55ED50:
        pos += 8
        continue
    e, fend = pos + hsz, pos + hsz + fatsz
    while e < fend:
        kind, ev, ehsz, padded = struct.unpack_from('<HHII', data, e)
        sm = struct.unpack_from('<I', data, e + 28)[0]
        if kind == 2 and sm != keep:
            data[e + ehsz:e + ehsz + padded] = bytes(padded)
            zeroed += padded
        else:
            kept += padded
        e += ehsz + padded
    pos = fend
open(dst, 'wb').write(data)
print(f'zeroed {zeroed/1e6:.1f} MB, kept {kept/1e6:.1f} MB')
