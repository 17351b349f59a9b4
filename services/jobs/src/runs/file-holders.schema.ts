import { Schema } from 'mongoose';

/**
 * A run's hold on an input file that several runs share (the one upload of an analytics_automated batch): `_id` is
 * `<file>|<run>`. The file is removed with the last run that holds it.
 */
export interface FileHolderDocument {
  _id: string;
  file: string;
  run: string;
  owner: string;
}

export const FileHolderDocumentSchema = new Schema<FileHolderDocument>(
  { _id: String, file: String, run: String, owner: String },
  { collection: 'file_holders', versionKey: false },
);
FileHolderDocumentSchema.index({ file: 1, owner: 1 });

/** The model's name: its provider token (`mongoModel`, `@InjectModel`). */
export const FILE_HOLDER = 'FileHolder';
