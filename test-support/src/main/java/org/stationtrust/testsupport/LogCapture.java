package org.stationtrust.testsupport;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Captures the log events of the running JVM (root logger) while a test drives a module, so the test can render them
 * with the program's encoder and look for leaks; and reads which encoders a program's {@code logback.xml} names.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture() {
        // Appended from the code's own threads while the test reads it.
        appender.list = new CopyOnWriteArrayList<>();
        appender.start();
        root.addAppender(appender);
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    public List<ILoggingEvent> events() {
        return List.copyOf(appender.list);
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }

    /**
     * The {@code class} of every {@code <encoder>} in a Logback configuration on the classpath (an encoder without a
     * class attribute, i.e. a pattern encoder, is listed as {@code "pattern"}).
     */
    public static List<String> encoderClasses(String resource) {
        try (InputStream in = LogCapture.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException(resource + " is not on the classpath");
            }
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            NodeList encoders = factory.newDocumentBuilder().parse(in).getElementsByTagName("encoder");
            List<String> classes = new ArrayList<>();
            for (int i = 0; i < encoders.getLength(); i++) {
                String type = ((Element) encoders.item(i)).getAttribute("class");
                classes.add(type.isEmpty() ? "pattern" : type);
            }
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException(resource + " is not a readable Logback configuration", e);
        }
    }
}
