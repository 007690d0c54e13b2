package dev.onnxserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrictKubernetesTests {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                    - name: web
                      image: web:1
                      %s
            """;

    @Test
    void parsesEveryDocumentIntoItsTypedClass() {
        List<HasMetadata> resources =
                StrictKubernetes.parse(DEPLOYMENT.formatted("imagePullPolicy: IfNotPresent") + """
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  ports: [{name: http, port: 80}]
                ---
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata:
                  name: web
                spec:
                  selector:
                    matchLabels: {app: web}
                  endpoints: [{port: http, path: /metrics}]
                """);

        assertThat(resources)
                .extracting(resource -> (Object) resource.getClass())
                .containsExactly(Deployment.class, Service.class, ServiceMonitor.class);
        assertThat(((Deployment) resources.get(0))
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImagePullPolicy())
                .isEqualTo("IfNotPresent");
    }

    @Test
    void rejectsAFieldTheApiDoesNotHaveNamingWhereItIs() {
        assertThatThrownBy(() -> StrictKubernetes.parse(DEPLOYMENT.formatted("imagePullPolicyy: IfNotPresent")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Deployment/web")
                .hasMessageContaining("containers[0]")
                .hasMessageContaining("imagePullPolicyy");
    }

    @Test
    void rejectsAFieldAtTheWrongLevel() {
        assertThatThrownBy(() -> StrictKubernetes.parse(DEPLOYMENT.formatted("runAsNonRoot: true")))
                .hasMessageContaining("runAsNonRoot");
    }

    @Test
    void rejectsAValueOfTheWrongType() {
        assertThatThrownBy(() -> StrictKubernetes.parse(DEPLOYMENT.formatted("ports: [{containerPort: eighty}]")))
                .hasMessageContaining("not a valid Kubernetes object");
    }

    @Test
    void rejectsAKindWithoutATypedClass() {
        assertThatThrownBy(() -> StrictKubernetes.parse("""
                        apiVersion: example.com/v1
                        kind: Widget
                        metadata:
                          name: w
                        """)).hasMessageContaining("Widget w: no typed API class");
    }
}
