package dev.onboard.gateway.api;

import dev.onboard.gateway.config.GatewayConfig;
import dev.onboard.gateway.config.HttpConfig;
import dev.onboard.gateway.liveness.LivenessTracker;
import dev.onboard.gateway.metrics.GatewayMetrics;
import dev.onboard.gateway.pipeline.CentralStore;
import dev.onboard.gateway.report.ReportService;
import dev.onboard.gateway.spi.SourceStatus;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link ApiRouter} over HTTP/1.1 with Netty: one acceptor thread and two I/O threads, named
 * {@code onboard-http-*}. Requests are small and answered from memory, so they run on the I/O
 * threads.
 *
 * <p>Lifecycle: {@link #start()} binds (port 0 picks a free port, see {@link #address()}) and
 * {@link #stop()} unbinds; both idempotent. Thread-safety: start and stop are synchronized.
 */
public final class ApiServer {

  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  private static final int MAX_REQUEST_BYTES = 64 * 1024;

  private final HttpConfig http;
  private final ApiRouter router;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel channel;

  public ApiServer(
      HttpConfig http,
      GatewayConfig config,
      LivenessTracker liveness,
      Supplier<List<SourceStatus>> sources,
      CentralStore central,
      GatewayMetrics metrics,
      ReportService reports) {
    this.http = http;
    this.router =
        new ApiRouter(http.tokens(), config, liveness, sources, central, metrics, reports);
  }

  public synchronized void start() {
    if (channel != null) {
      return;
    }
    boss = new NioEventLoopGroup(1, new DefaultThreadFactory("onboard-http-accept", true));
    workers = new NioEventLoopGroup(2, new DefaultThreadFactory("onboard-http", true));
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                        .addLast(new Handler());
                  }
                });
    try {
      channel = bootstrap.bind(http.host(), http.port()).sync().channel();
    } catch (Exception e) {
      stop();
      throw new IllegalStateException(
          "cannot listen on "
              + http.host()
              + ":"
              + http.port()
              + " ("
              + e.getMessage()
              + "); change http.bind",
          e);
    }
    log.info("API listening on http://{}:{}/api/v1/", http.host(), address().getPort());
  }

  /** The bound address; only valid after {@link #start()}. */
  public synchronized InetSocketAddress address() {
    if (channel == null) {
      throw new IllegalStateException("API server is not started");
    }
    return (InetSocketAddress) channel.localAddress();
  }

  public synchronized void stop() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
      channel = null;
    }
    if (workers != null) {
      workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      workers = null;
      boss = null;
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      QueryStringDecoder uri = new QueryStringDecoder(request.uri());
      String path = uri.path();
      java.util.Map<String, String> query = new java.util.HashMap<>();
      uri.parameters().forEach((k, v) -> query.put(k, v.get(0)));
      ApiResponse answer;
      try {
        answer =
            router.handle(
                request.method().name(),
                path,
                query,
                request.headers().get(HttpHeaderNames.AUTHORIZATION));
      } catch (RuntimeException e) {
        log.error("API request {} {} failed", request.method(), path, e);
        answer =
            ApiResponse.text(
                500, ApiResponse.JSON, "{\"error\":\"internal error, see the gateway log\"}");
      }
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.valueOf(answer.status()),
              Unpooled.wrappedBuffer(answer.body()));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
      response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
      response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
      for (int i = 0; i + 1 < answer.headers().length; i += 2) {
        response.headers().set(answer.headers()[i], answer.headers()[i + 1]);
      }
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      if (keepAlive) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        ctx.writeAndFlush(response);
      } else {
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("API connection closed: {}", cause.toString());
      ctx.close();
    }
  }
}
