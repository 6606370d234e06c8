package io.tlsguard.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The identity on every line: where service.name comes from, and what OTEL_RESOURCE_ATTRIBUTES may add. */
class ResourceTest {
    @Test
    void serviceNameComesFromTheOptionThenTheEnvironmentThenTheProgram() {
        String attrs = "service.name=from-attrs";
        assertThat(service("opt", "env", attrs, "com.example.Main")).isEqualTo("opt");
        assertThat(service(null, "env", attrs, "com.example.Main")).isEqualTo("env");
        assertThat(service(null, "  ", attrs, "com.example.Main")).isEqualTo("from-attrs");
        assertThat(service(null, null, null, "com.example.Main a b")).isEqualTo("com.example.Main");
        assertThat(service(null, null, null, "/opt/app/billing.jar --port 8080"))
                .isEqualTo("billing.jar");
        assertThat(service(null, null, null, "")).isEqualTo("unknown_service:java");
        assertThat(service(null, null, null, null)).isEqualTo("unknown_service:java");
        assertThat(service(null, "x".repeat(257), null, "Main"))
                .as("too long: ignored")
                .isEqualTo("Main");
    }

    @Test
    void javaCommandGivesTheMainClassOrTheJarPath() {
        assertThat(JavaCommand.launched("com.example.Main --flag")).isEqualTo("com.example.Main");
        assertThat(JavaCommand.launched("com.example.Main")).isEqualTo("com.example.Main");
        assertThat(JavaCommand.launched("app.jar")).isEqualTo("app.jar");
        assertThat(JavaCommand.launched("/srv/my apps/app.JAR arg")).isEqualTo("/srv/my apps/app.JAR");
        assertThat(JavaCommand.launched("   ")).isNull();
        assertThat(JavaCommand.launched(null)).isNull();
        assertThat(JavaCommand.program("/srv/my apps/app.JAR")).isEqualTo("app.JAR");
        assertThat(JavaCommand.program("C:\\apps\\app.jar")).isEqualTo("app.jar");
        assertThat(JavaCommand.program("com.example.Main")).isEqualTo("com.example.Main");
    }

    @Test
    void resourceAttributesArePercentDecodedPairsInOrder() {
        assertThat(ResourceAttributes.parse("deployment.environment=prod, team = payments ,k8s.pod.name=a%2Cb%3Dc"))
                .containsExactly(
                        Map.entry("deployment.environment", "prod"),
                        Map.entry("team", "payments"),
                        Map.entry("k8s.pod.name", "a,b=c"));
        assertThat(ResourceAttributes.parse("owner=J%C3%BCrgen%20M")).containsExactly(Map.entry("owner", "Jürgen M"));
        assertThat(ResourceAttributes.parse("a=1,a=2,b=3"))
                .as("a repeated key keeps its place and its last value")
                .containsExactly(Map.entry("a", "2"), Map.entry("b", "3"));
        assertThat(ResourceAttributes.parse("a=x+y")).containsExactly(Map.entry("a", "x+y"));
    }

    @Test
    void malformedPairsAreLeftOut() {
        Map<String, String> parsed = ResourceAttributes.parse(String.join(
                ",",
                "",
                "noequals",
                "=novalue",
                "empty=",
                "bad%=1",
                "cut=%4",
                "nothex=%zz",
                "notutf8=%C3%28",
                "props=v;p=1",
                "spa ce=1",
                "ctl=a%0Ab",
                "long=" + "v".repeat(257),
                "k".repeat(257) + "=1",
                "ok=1"));
        assertThat(parsed).containsExactly(Map.entry("ok", "1"));
        assertThat(ResourceAttributes.parse(null)).isEmpty();
        assertThat(ResourceAttributes.parse(",,,")).isEmpty();
    }

    @Test
    void tlsguardsOwnFieldsCannotBeOverridden() {
        assertThat(ResourceAttributes.parse("host.name=evil,process.pid=1,severity_text=INFO,event.name=x,"
                        + "tls.established=true,tlsguard.mode=deny,timestamp=0,host.arch=amd64,process.owner=app"))
                .containsExactly(Map.entry("host.arch", "amd64"), Map.entry("process.owner", "app"));
    }

    @Test
    void atMost32PairsAreKept() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            many.append("k").append(i).append("=v,");
        }
        Map<String, String> parsed = ResourceAttributes.parse(many.toString());
        assertThat(parsed).hasSize(32).containsKey("k0").containsKey("k31").doesNotContainKey("k32");
    }

    @Test
    void linesCarryTheIdentityInOrder() throws Exception {
        Resource r = Resource.of(
                null,
                "4242",
                null,
                "service.name=billing,deployment.environment=prod",
                "/opt/billing.jar serve",
                "OpenJDK Runtime Environment",
                "17.0.9+9",
                "web-1");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("service.name", "billing");
        expected.put("deployment.environment", "prod");
        expected.put("host.name", "web-1");
        expected.put("process.pid", 4242L);
        expected.put("process.runtime.name", "OpenJDK Runtime Environment");
        expected.put("process.runtime.version", "17.0.9+9");
        expected.put("process.command", "/opt/billing.jar");
        assertThat(r.attributes()).containsExactlyEntriesOf(expected);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("event.name", "tls.handshake"); // every line's first field: the resource follows it
            r.write(json);
            json.writeEndObject();
        }
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"event.name\":\"tls.handshake\",\"service.name\":\"billing\",\"deployment.environment\":\"prod\",\"host.name\":\"web-1\","
                                + "\"process.pid\":4242,\"process.runtime.name\":\"OpenJDK Runtime Environment\","
                                + "\"process.runtime.version\":\"17.0.9+9\",\"process.command\":\"/opt/billing.jar\"}");
    }

    @Test
    void theHostNameNeedsNoDns() {
        assertThat(Resource.hostName()).isNotBlank();
        assertThat(Resource.validHostName(" web-1.example.com\n")).isEqualTo("web-1.example.com");
        assertThat(Resource.validHostName("a b")).isNull();
        assertThat(Resource.validHostName("")).isNull();
        assertThat(Resource.detect(null, "1").attributes()).containsKeys("service.name", "host.name", "process.pid");
    }

    @Test
    void severityFollowsTheFloor() {
        assertThat(Severity.ofHandshake(true, "TLSv1.2", "TLSv1.2")).isEqualTo(Severity.INFO);
        assertThat(Severity.ofHandshake(true, "TLSv1.3", "TLSv1.2")).isEqualTo(Severity.INFO);
        assertThat(Severity.ofHandshake(true, "TLSv1.2", "TLSv1.3")).isEqualTo(Severity.WARN);
        assertThat(Severity.ofHandshake(true, "TLSv1", "TLSv1.2")).isEqualTo(Severity.WARN);
        assertThat(Severity.ofHandshake(false, "TLSv1.3", "TLSv1.2")).isEqualTo(Severity.WARN);
        assertThat(Severity.ofHandshake(true, "DTLSv1.2", "TLSv1.2")).isEqualTo(Severity.WARN);
        assertThat(Severity.WARN.number()).isEqualTo(13);
        assertThat(Severity.INFO.number()).isEqualTo(9);
    }

    private static String service(String option, String env, String attrs, String command) {
        return Resource.of(option, "1", env, attrs, command, null, null, "h").serviceName();
    }
}
