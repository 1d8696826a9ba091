"""Writers of files a person downloads: Word (clean and redline), PDF, the compilation."""
