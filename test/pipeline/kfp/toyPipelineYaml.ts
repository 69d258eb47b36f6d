// A small compiled pipeline written by hand (not by the compiler): three tasks in a chain,
// run parameters of every KFP type, and a Kubernetes platform config as the second document.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TOY_TASKS = ['make-data', 'train', 'evaluate'];

export const TOY_PIPELINE_YAML = `# PIPELINE DEFINITION
# Name: toy-kfp
pipelineInfo:
  name: toy-kfp
  description: Three tasks and typed run parameters
schemaVersion: 2.1.0
sdkVersion: sealed-0.1.0
deploymentSpec:
  executors:
    exec-make-data:
      container:
        image: registry.example.com/sealed:0.1.0
        command: [node, bin/sealed, component, make-data]
        args: ['--executor_input={{$}}']
    exec-train:
      container:
        image: registry.example.com/sealed:0.1.0
        command: [node, bin/sealed, component, train]
        args: ['--executor_input={{$}}']
    exec-evaluate:
      container:
        image: registry.example.com/sealed:0.1.0
        command: [node, bin/sealed, component, evaluate]
        args: ['--executor_input={{$}}']
components:
  comp-make-data:
    executorLabel: exec-make-data
    inputDefinitions:
      parameters:
        data_size: {parameterType: NUMBER_INTEGER}
    outputDefinitions:
      artifacts:
        data: {artifactType: {schemaTitle: system.Dataset, schemaVersion: 0.0.1}}
  comp-train:
    executorLabel: exec-train
    inputDefinitions:
      parameters:
        learning_rate: {parameterType: NUMBER_DOUBLE}
      artifacts:
        data: {artifactType: {schemaTitle: system.Dataset, schemaVersion: 0.0.1}}
    outputDefinitions:
      artifacts:
        model: {artifactType: {schemaTitle: system.Model, schemaVersion: 0.0.1}}
  comp-evaluate:
    executorLabel: exec-evaluate
    inputDefinitions:
      artifacts:
        model: {artifactType: {schemaTitle: system.Model, schemaVersion: 0.0.1}}
root:
  inputDefinitions:
    parameters:
      data_size: {parameterType: NUMBER_INTEGER, defaultValue: 100}
      learning_rate: {parameterType: NUMBER_DOUBLE, defaultValue: 0.1}
      data_url: {parameterType: STRING, defaultValue: 'embedded:synthetic'}
      explain: {parameterType: BOOLEAN, defaultValue: false}
      features: {parameterType: LIST, defaultValue: [age, income]}
      options: {parameterType: STRUCT, defaultValue: {}}
  dag:
    tasks:
      make-data:
        taskInfo: {name: make-data}
        componentRef: {name: comp-make-data}
        inputs:
          parameters:
            data_size: {componentInputParameter: data_size}
      train:
        taskInfo: {name: train}
        componentRef: {name: comp-train}
        dependentTasks: [make-data]
        inputs:
          parameters:
            learning_rate: {componentInputParameter: learning_rate}
          artifacts:
            data: {taskOutputArtifact: {producerTask: make-data, outputArtifactKey: data}}
      evaluate:
        taskInfo: {name: evaluate}
        componentRef: {name: comp-evaluate}
        dependentTasks: [train]
        inputs:
          artifacts:
            model: {taskOutputArtifact: {producerTask: train, outputArtifactKey: model}}
---
platforms:
  kubernetes:
    deploymentSpec:
      executors:
        exec-train:
          nodeSelector: {labels: {intelvm: sgx}}
`;

/** Writes `text` as `<dir>/<name>` and returns the path. */
export function writePipelineFile(dir: string, text = TOY_PIPELINE_YAML, name = 'toy-kfp.yaml'): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
