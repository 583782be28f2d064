/**
 * The key per-address limits count under. An IPv6 client usually holds a whole /64 (SLAAC, privacy
 * addresses), so it could step past a per-address limit by changing its last 64 bits: IPv6 addresses
 * count by their /64. IPv4, and IPv4 mapped into IPv6 (::ffff:a.b.c.d), count per address. Parsing by
 * ipaddr.js (zones, embedded IPv4, `::` and leading zeros are where hand-written parsers slip).
 */
import ipaddr from 'ipaddr.js'

export function addressKey(address: string): string {
  if (!ipaddr.isValid(address)) return address
  const parsed = ipaddr.parse(address)
  if (parsed.kind() === 'ipv4') return parsed.toString()
  const v6 = parsed as ipaddr.IPv6
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString()
  return `${v6.parts.slice(0, 4).map((part) => part.toString(16)).join(':')}::/64`
}
