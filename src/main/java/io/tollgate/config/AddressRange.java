package io.tollgate.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address, or a CIDR range of them ("10.0.0.0/8", "2001:db8::/32"). Only literal addresses are
 * taken, so parsing never asks DNS; an IPv4 address never matches an IPv6 range, except IPv4-mapped ones, which
 * Java reads as IPv4.
 */
public final class AddressRange {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final byte[] network;
  private final int bits;

  private AddressRange(byte[] network, int bits) {
    this.network = network;
    this.bits = bits;
  }

  /** The range an entry names; an error that says why for anything else (a host name, a bad prefix length). */
  public static AddressRange parse(String entry) {
    String text = entry.strip();
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    byte[] bytes = literal(address);
    if (bytes == null) {
      throw new IllegalArgumentException("'" + entry + "' is not an IPv4 or IPv6 address or CIDR range");
    }
    int max = bytes.length * 8;
    int bits = max;
    if (slash >= 0) {
      String length = text.substring(slash + 1);
      if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > max) {
        throw new IllegalArgumentException("'" + entry + "' has a prefix length that is not 0 to " + max);
      }
      bits = Integer.parseInt(length);
    }
    return new AddressRange(bytes, bits);
  }

  /** Whether the address (as the container reports the client's) is in this range. */
  public boolean contains(String address) {
    return contains(literal(address));
  }

  /** Whether an address already read by {@link #literal} (null for none) is in this range. */
  public boolean contains(byte[] address) {
    if (address == null || address.length != network.length) {
      return false;
    }
    int whole = bits / 8;
    for (int i = 0; i < whole; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest) & 0xff;
    return (address[whole] & mask) == (network[whole] & mask);
  }

  /** The bytes of a literal IPv4 or IPv6 address; null for anything else, which is never looked up. */
  public static byte[] literal(String address) {
    if (address == null || !(IPV4.matcher(address).matches() || address.contains(":"))) {
      return null; // anything else could be a host name, which InetAddress would look up
    }
    try {
      return InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException | SecurityException e) {
      return null;
    }
  }
}
