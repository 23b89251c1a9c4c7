export type Split = 'train' | 'test';

/** Which CIFAR-100 label becomes the class: one of the 100 fine classes or the 20 coarse superclasses. */
export type Cifar100Labels = 'fine' | 'coarse';

/** A labelled image set, NHWC float32 in [0, 1] (docs/design.md §4). */
export interface Dataset {
  name: string;
  split: Split;
  /** count * height * width * channels values, NHWC order. */
  images: Float32Array;
  labels: Int32Array;
  count: number;
  height: number;
  width: number;
  channels: number;
  numClasses: number;
  classNames?: string[];
}

export interface DatasetSpec {
  name: string;
  split: Split;
  /** Folder holding the files; defaults depend on the dataset. */
  path?: string;
  /** cifar100 only: fine (100 classes, the default) or coarse (20 superclasses). */
  labels?: Cifar100Labels;
}
