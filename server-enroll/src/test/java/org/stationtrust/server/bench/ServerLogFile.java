package org.stationtrust.server.bench;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.stationtrust.logging.JsonLineEncoder;

/**
 * Sends the benchmark process's log lines to a file, with the server's own encoder, instead of the console for the
 * length of a benchmark. Under Maven Surefire the console is captured: every line written to it is wrapped in a
 * report entry after a walk of the writing thread's stack, which cost the server's request threads about 16 % of
 * their CPU in the attestation benchmark (perf, 2026-12-06) and is not what a deployed server pays: it writes one line
 * per request to journald's pipe, which a file write stands for. Every line is still encoded and written.
 */
final class ServerLogFile implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final List<Appender<ILoggingEvent>> detached = new ArrayList<>();
    private final FileAppender<ILoggingEvent> file = new FileAppender<>();

    ServerLogFile(Path path) {
        LoggerContext context = root.getLoggerContext();
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext(context);
        encoder.start();
        file.setContext(context);
        file.setName("bench-file");
        file.setFile(path.toString());
        file.setEncoder(encoder);
        file.start();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            detached.add(it.next());
        }
        detached.forEach(root::detachAppender);
        root.addAppender(file);
        System.out.println("server log lines of this benchmark go to " + path);
    }

    @Override
    public void close() {
        root.detachAppender(file);
        detached.forEach(root::addAppender);
        file.stop();
    }
}
