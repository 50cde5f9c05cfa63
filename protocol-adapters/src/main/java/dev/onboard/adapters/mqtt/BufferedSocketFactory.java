package dev.onboard.adapters.mqtt;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Plain TCP sockets whose input is buffered. Paho reads each packet through a counting stream that
 * only implements single-byte {@code read()}, so on a bare socket every byte of every message is a
 * system call: a third of the gateway's CPU at 10,000 messages/s. With a 64 KiB buffer underneath,
 * one system call reads many messages, and asking how many bytes are available costs no system call
 * while some are buffered. ({@code ssl://} sockets already read whole TLS records.) Stateless and
 * thread-safe; each socket is used by Paho's one receiver thread.
 */
final class BufferedSocketFactory extends SocketFactory {

  private static final int BUFFER_BYTES = 64 * 1024;

  @Override
  public Socket createSocket() {
    return new BufferedSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket s = createSocket();
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    Socket s = createSocket();
    s.bind(new InetSocketAddress(localHost, localPort));
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    Socket s = createSocket();
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    Socket s = createSocket();
    s.bind(new InetSocketAddress(localAddress, localPort));
    s.connect(new InetSocketAddress(address, port));
    return s;
  }

  private static final class BufferedSocket extends Socket {
    private InputStream in;

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (in == null) {
        in = new AvailableFromBuffer(super.getInputStream());
      }
      return in;
    }
  }

  /**
   * Paho's receiver asks {@code available()} before every packet. A plain buffered stream adds the
   * socket's count to its own, an {@code ioctl(FIONREAD)} system call per message; while bytes are
   * buffered that answer is already "more than zero", which is all Paho needs to know.
   */
  private static final class AvailableFromBuffer extends BufferedInputStream {
    AvailableFromBuffer(InputStream socket) {
      super(socket, BUFFER_BYTES);
    }

    @Override
    public synchronized int available() throws IOException {
      int buffered = count - pos;
      // A closed stream (buf null) still answers through super: it throws, as it should.
      return buf != null && buffered > 0 ? buffered : super.available();
    }
  }
}
