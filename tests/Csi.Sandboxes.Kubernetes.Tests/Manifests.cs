namespace Csi.Sandboxes.Kubernetes.Tests;

/// <summary>CRD manifests used by the tests.</summary>
internal static class Manifests
{
    /// <summary>A trimmed copy of the driver's SecretProviderClass CRD: v1 storage, v1alpha1 served, no validation beyond types.</summary>
    public const string SecretProviderClass = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: secretproviderclasses.secrets-store.csi.x-k8s.io
        spec:
          group: secrets-store.csi.x-k8s.io
          names:
            kind: SecretProviderClass
            listKind: SecretProviderClassList
            plural: secretproviderclasses
            singular: secretproviderclass
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  apiVersion: {type: string}
                  kind: {type: string}
                  metadata: {type: object}
                  spec:
                    type: object
                    properties:
                      provider: {type: string}
                      parameters:
                        type: object
                        additionalProperties: {type: string}
                      secretObjects:
                        type: array
                        items:
                          type: object
                          properties:
                            secretName: {type: string}
                            type: {type: string}
                            data:
                              type: array
                              items:
                                type: object
                                properties:
                                  objectName: {type: string}
                                  key: {type: string}
                  status:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
          - name: v1alpha1
            served: true
            storage: false
            deprecated: true
            schema:
              openAPIV3Schema:
                type: object
                x-kubernetes-preserve-unknown-fields: true
        """;

    /// <summary>A CRD with validation to exercise: required fields, enum, minLength, integer bounds, defaults, status subresource, a selectable field.</summary>
    public const string Widget = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          scope: Namespaced
          names:
            kind: Widget
            plural: widgets
            shortNames: [wd]
          versions:
          - name: v1
            served: true
            storage: true
            subresources:
              status: {}
            selectableFields:
            - jsonPath: .spec.color
            schema:
              openAPIV3Schema:
                type: object
                required: [spec]
                properties:
                  spec:
                    type: object
                    required: [color, size]
                    properties:
                      color:
                        type: string
                        enum: [red, green, blue]
                      size:
                        type: integer
                        minimum: 1
                        maximum: 10
                      label:
                        type: string
                        minLength: 3
                      mode:
                        type: string
                        default: fast
                  status:
                    type: object
                    properties:
                      ready: {type: boolean}
        """;
}
