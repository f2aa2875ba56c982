/**
 * Datasets on disk and in memory: readers and writers for NPY/NPZ, MATLAB v7.3 and Nanonis SXM files,
 * labelled collections, and the preparation of a dataset for training (stratified splits, class weights).
 */
package org.scanline.dataset;
