import { describe, expect, it } from 'vitest';
import { classifyAddress } from './addressClass.js';

describe('classifying an IP address for the endpoint policy', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['104.18.0.1', 'public'],
    ['0.0.0.0', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrier-grade-nat'],
    ['100.127.255.255', 'carrier-grade-nat'],
    ['100.128.0.1', 'public'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['168.63.129.16', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['192.0.0.192', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
  ])('IPv4 %s is %s', (address, cls) => {
    expect(classifyAddress(address).class).toBe(cls);
  });

  it.each([
    ['2606:4700:4700::1111', 'public'],
    ['2a00:1450:4001:81c::200e', 'public'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fd00:ec2::254', 'metadata'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['2001::1', 'reserved'], // Teredo
    ['2001:2::1', 'benchmarking'],
    ['100::1', 'reserved'],
    ['::7f00:1', 'reserved'], // deprecated IPv4-compatible form of 127.0.0.1
    ['4000::1', 'reserved'], // outside global unicast
    ['64:ff9b:1::a00:1', 'private'],
  ])('IPv6 %s is %s', (address, cls) => {
    expect(classifyAddress(address).class).toBe(cls);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback', 'ipv4-mapped'],
    ['::ffff:7f00:1', 'loopback', 'ipv4-mapped'],
    ['::ffff:10.0.0.1', 'private', 'ipv4-mapped'],
    ['::ffff:169.254.169.254', 'metadata', 'ipv4-mapped'],
    ['::ffff:8.8.8.8', 'public', 'ipv4-mapped'],
    ['64:ff9b::10.0.0.1', 'private', 'nat64'],
    ['64:ff9b::a9fe:a9fe', 'metadata', 'nat64'],
    ['64:ff9b::808:808', 'public', 'nat64'],
    ['2002:7f00:1::1', 'loopback', '6to4'],
    ['2002:c0a8:101::', 'private', '6to4'],
    ['2002:808:808::1', 'public', '6to4'],
  ])('%s reaches an IPv4 address: %s through %s', (address, cls, via) => {
    const verdict = classifyAddress(address);
    expect(verdict.class).toBe(cls);
    expect(verdict.embedded?.via).toBe(via);
  });

  it('treats anything that is not an IP literal as reserved', () => {
    expect(classifyAddress('localhost').class).toBe('reserved');
    expect(classifyAddress('0x7f.1').class).toBe('reserved');
  });
});
