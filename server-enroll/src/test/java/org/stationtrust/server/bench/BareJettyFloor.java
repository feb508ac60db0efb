package org.stationtrust.server.bench;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * What one HTTP exchange costs the server on this machine with nothing of ours in it: a bare Jetty server whose only
 * handler reads the body and answers a fixed nonce-sized JSON, under the benchmark's load (its concurrency, its lean
 * keep-alive client, loopback). The floor under any exchange the server makes; the attestation's nonce exchange is
 * compared with it.
 */
final class BareJettyFloor {
    private static final byte[] ANSWER = ("{\"nonce\":\"" + "A".repeat(43) + "=\",\"purpose\":\"quote\",\"expiresAt\":"
            + "\"2026-12-06T22:00:00Z\"}").getBytes(StandardCharsets.US_ASCII);

    private BareJettyFloor() {
    }

    /** Server CPU (process less the load generator's threads) per exchange, in microseconds, after a warm-up. */
    static double microsPerExchange(int concurrency, int seconds) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(200, 8, 60_000);
        pool.setName("bare-jetty");
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Source.asByteBufferAsync(request).whenComplete((body, failure) -> {
                    response.setStatus(failure == null ? 201 : 400);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                    response.write(true, ByteBuffer.wrap(ANSWER), callback);
                });
                return true;
            }
        });
        server.start();
        try {
            measure(connector.getLocalPort(), concurrency, seconds);
            return measure(connector.getLocalPort(), concurrency, seconds);
        } finally {
            server.stop();
        }
    }

    private static double measure(int port, int concurrency, int seconds) throws Exception {
        LongAdder workerCpu = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(concurrency);
        double cpuStart = AttestationBenchmark.processCpuSeconds();
        for (int w = 0; w < concurrency; w++) {
            Thread t = new Thread(() -> {
                long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                try (KeepAliveClient client = new KeepAliveClient("127.0.0.1", port)) {
                    while (!stop.get()) {
                        var r = client.send("POST", "/api/v1/attestation/nonces", "{\"purpose\":\"quote\",\"machineId\":"
                                + "\"3f2a9c1e-8b7d-4e6f-9a1b-2c3d4e5f6a7b\"}", null);
                        (r.status() == 201 ? done : failed).incrementAndGet();
                    }
                } finally {
                    workerCpu.add(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0);
                    finished.countDown();
                }
            });
            t.setName("bench-bare-jetty-" + w);
            t.setDaemon(true);
            t.start();
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        finished.await();
        if (failed.get() > 0 || done.get() == 0) throw new AssertionError(failed.get() + " bare exchanges failed");
        double serverCpu = AttestationBenchmark.processCpuSeconds() - cpuStart - workerCpu.sum() / 1e9;
        return serverCpu / done.get() * 1e6;
    }
}
